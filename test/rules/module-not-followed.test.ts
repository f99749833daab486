// The engine's module-not-followed finding: what the readers could not follow is reported where
// the module is called, can be turned off, and is suppressible like any finding.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanText } from '../../rules/engine';
import { defaultConfig, mergeConfig } from '../../rules/config';

const CALLER = [
  "module shared 'br/public:avm/res/cache/redis:0.9.0' = {",
  "  name: 'shared'",
  "  params: { name: 'shared-cache' }",
  '}',
  '',
  "module sessions './modules/session-cache.bicep' = {",
  "  name: 'sessions'",
  '}',
  '',
].join('\n');

const noFiles = (): undefined => undefined;

describe('module-not-followed', () => {
  it('is reported, low, on the line of each module the reader could not follow, saying why', () => {
    const r = scanText('/w/main.bicep', CALLER, { readFile: noFiles });
    const notes = r.findings.filter((f) => f.ruleId === 'module-not-followed');
    assert.deepEqual(
      notes.map((f) => [f.range?.start.line, f.severity]),
      [
        [0, 'low'],
        [5, 'low'],
      ],
    );
    assert.match(notes[0].message, /registry module 'br\/public:avm\/res\/cache\/redis:0\.9\.0' is not followed/);
    assert.match(notes[1].message, /module '\.\/modules\/session-cache\.bicep' could not be read/);
    assert.match(notes[0].docUrl, /module-not-followed\.md$/);
  });

  it('is gone once the module can be read', () => {
    const mod = "param name string = 'x'\n";
    const r = scanText('/w/main.bicep', CALLER, { readFile: (p) => (p === '/w/modules/session-cache.bicep' ? mod : undefined) });
    assert.deepEqual(
      r.findings.filter((f) => f.ruleId === 'module-not-followed').map((f) => f.range?.start.line),
      [0],
    );
  });

  it('can be turned off and suppressed on its line', () => {
    const off = scanText('/w/main.bicep', CALLER, { readFile: noFiles, config: mergeConfig(defaultConfig, { rules: { 'module-not-followed': 'off' } }) });
    assert.ok(!off.findings.some((f) => f.ruleId === 'module-not-followed'));
    const suppressed = scanText('/w/main.bicep', `// redis-posture-disable-next-line module-not-followed -- scanned in its own repository\n${CALLER}`, { readFile: noFiles });
    assert.deepEqual(
      suppressed.findings.filter((f) => f.ruleId === 'module-not-followed').map((f) => f.range?.start.line),
      [6],
    );
  });
});
