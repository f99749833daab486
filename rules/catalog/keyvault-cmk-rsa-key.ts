// A cluster's customer-managed key is an RSA key of at least 2048 bits (the only kind supported).

import { Rule } from '../rule';
import { FixOp, Json, Span } from '../model';
import { judgeValue, lower } from '../judge';
import { relatedOf, show, templateFixes } from './_enterprise';
import { KEY, cmkTargets, declared } from './_keyvault';

const notRsa = (v: Json): boolean => !['rsa', 'rsa-hsm'].includes(lower(v) ?? '');
const small = (v: Json): boolean => (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)) ? Number(v) < 2048 : false);

export const keyvaultCmkRsaKey: Rule = {
  meta: {
    id: 'keyvault-cmk-rsa-key',
    title: 'The customer-managed key is an RSA key of 2048 bits or more',
    severity: 'high',
    resourceTypes: [KEY],
    fixable: true,
  },
  check(rawCtx) {
    const { deployment: dep, report } = templateFixes(rawCtx);
    const seen = new Set<object>();
    for (const t of cmkTargets(dep)) {
      const key = t.key;
      if (!declared(key) || seen.has(key)) continue;
      seen.add(key);
      let problem: { at: Span; text: string; ops: FixOp[]; related?: Span[] } | undefined;
      const kty = judgeValue(key, ['properties', 'kty'], undefined, notRsa);
      if (kty?.kind === 'value') {
        problem = {
          at: kty.judgement.at,
          text: `kty is ${show(kty.judgement.value)}: only RSA keys ('RSA' or 'RSA-HSM') can encrypt a Redis cluster. Set kty to 'RSA' (or 'RSA-HSM' in a Premium vault), with keySize 2048 or more`,
          ops: [{ op: 'set', resource: key, path: ['properties', 'kty'], value: 'RSA' }],
          related: relatedOf(kty.judgement),
        };
      } else if (kty?.kind === 'allowed') {
        const origin = kty.judgement.resolved.val?.origin;
        problem = {
          at: kty.at,
          text: `the allowed values of this parameter admit the key types ${kty.values.map(show).join(', ')}: only RSA keys can encrypt a Redis cluster. Allow only 'RSA' / 'RSA-HSM'`,
          ops: origin ? [{ op: 'dropAllowed', origin, values: kty.values }] : [],
        };
      } else {
        const size = judgeValue(key, ['properties', 'keySize'], 2048, small);
        if (size?.kind === 'value') {
          problem = {
            at: size.judgement.at,
            text: `keySize is ${show(size.judgement.value)}: a customer-managed key must be an RSA key of at least 2048 bits. Set keySize to 2048 or more`,
            ops: [{ op: 'set', resource: key, path: ['properties', 'keySize'], value: 2048 }],
            related: relatedOf(size.judgement),
          };
        } else if (size?.kind === 'allowed') {
          const origin = size.judgement.resolved.val?.origin;
          problem = {
            at: size.at,
            text: `the allowed values of this parameter admit key sizes ${size.values.map(show).join(', ')}: a customer-managed key must have at least 2048 bits. Allow only 2048 or more`,
            ops: origin ? [{ op: 'dropAllowed', origin, values: size.values }] : [],
          };
        }
      }
      if (!problem) continue;
      report({
        resource: key,
        path: problem.ops[0]?.op === 'set' ? `properties.${(problem.ops[0] as { path: string[] }).path[1]}` : 'properties.kty',
        message: `This key is a Redis cluster's customer-managed key: ${problem.text}.`,
        at: problem.at,
        related: problem.related,
        fix: problem.ops.length ? { title: problem.ops[0].op === 'set' ? 'Make the key an RSA 2048 key' : 'Remove the unsupported values from the allowed list', ops: problem.ops } : undefined,
      });
    }
  },
};
