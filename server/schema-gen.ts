// `npm run schema`: writes schemas/redis-posture.schema.json and the settings, jsonValidation
// and commands of package.json's `contributes` from server/schema.ts (so from the catalog).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { configSchema, contributes } from './schema';

const root = process.cwd();
const schemaFile = path.join(root, 'schemas', 'redis-posture.schema.json');
fs.mkdirSync(path.dirname(schemaFile), { recursive: true });
fs.writeFileSync(schemaFile, `${JSON.stringify(configSchema(), null, 2)}\n`);

const pkgFile = path.join(root, 'package.json');
const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { contributes?: Record<string, unknown> };
const ours = contributes() as { configuration: unknown; jsonValidation: unknown[]; commands: { command: string }[] };
const existing = (pkg.contributes ?? {}) as { commands?: { command: string }[]; jsonValidation?: { fileMatch: unknown }[] };
const ids = new Set(ours.commands.map((c) => c.command));
pkg.contributes = {
  ...existing,
  configuration: ours.configuration,
  jsonValidation: [...(existing.jsonValidation ?? []).filter((j) => j.fileMatch !== 'redis-posture.json'), ...ours.jsonValidation],
  commands: [...ours.commands, ...(existing.commands ?? []).filter((c) => !ids.has(c.command))],
};
fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
console.log(`wrote ${path.relative(root, schemaFile)} and package.json contributes`);
