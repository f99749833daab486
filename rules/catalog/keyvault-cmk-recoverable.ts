// The Key Vault holding a cache's customer-managed key keeps deleted keys recoverable: soft delete
// on and purge protection on. A purged key makes the cache's data unreadable for good.

import { Rule } from '../rule';
import { FixOp, Json, Span } from '../model';
import { judgeValue, lower } from '../judge';
import { mergeSets, relatedOf, show, templateFixes } from './_enterprise';
import { VAULT, cmkVaults } from './_keyvault';

const isFalse = (v: Json): boolean => v === false || lower(v) === 'false';
const notTrue = (v: Json): boolean => !(v === true || lower(v) === 'true');

export const keyvaultCmkRecoverable: Rule = {
  meta: {
    id: 'keyvault-cmk-recoverable',
    title: 'The Key Vault of a customer-managed key has soft delete and purge protection',
    severity: 'high',
    resourceTypes: [VAULT],
    fixable: true,
  },
  check(rawCtx) {
    const { deployment: dep, report } = templateFixes(rawCtx);
    for (const vault of cmkVaults(dep)) {
      const problems: { at: Span; text: string; ops: FixOp[]; related?: Span[] }[] = [];
      const soft = judgeValue(vault, ['properties', 'enableSoftDelete'], true, isFalse);
      const purge = judgeValue(vault, ['properties', 'enablePurgeProtection'], null, notTrue);
      for (const [j, name] of [
        [soft, 'enableSoftDelete'],
        [purge, 'enablePurgeProtection'],
      ] as const) {
        if (!j) continue;
        if (j.kind === 'value') {
          const jj = j.judgement;
          problems.push({
            at: jj.at,
            text: jj.state === 'default' ? `${name} is not set (off)` : `${name} is ${show(jj.value)}`,
            ops: [{ op: 'set', resource: vault, path: ['properties', name], value: true }],
            related: relatedOf(jj),
          });
        } else {
          const origin = j.judgement.resolved.val?.origin;
          problems.push({
            at: j.at,
            text: `the allowed values of the ${name} parameter admit ${j.values.map(show).join(', ')}`,
            ops: origin ? [{ op: 'dropAllowed', origin, values: j.values }] : [],
          });
        }
      }
      if (!problems.length) continue;
      const ops = mergeSets(problems.flatMap((p) => p.ops));
      report({
        resource: vault,
        path: 'properties.enablePurgeProtection',
        message:
          `This Key Vault holds the customer-managed key of a Redis cluster, but a deleted key may not be recoverable: ${problems.map((p) => p.text).join('; ')}. ` +
          'If the key is deleted and purged, the cluster\'s data can never be decrypted again. Keep soft delete on and set enablePurgeProtection to true (it cannot be turned off later).',
        at: problems[0].at,
        related: problems[0].related,
        fix: ops.length ? { title: 'Turn on purge protection (and soft delete)', ops } : undefined,
      });
    }
  },
};
