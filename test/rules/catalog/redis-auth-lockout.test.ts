import { lineOf, ruleTester, template, textOf } from '../../helpers/rule-tester';
import { cache } from './_cache';

const lockedOut = textOf(template([cache({ disableAccessKeyAuthentication: true })]));
const lockedOutExplicit = textOf(template([cache({ disableAccessKeyAuthentication: true, redisConfiguration: { 'aad-enabled': 'false' } })]));

ruleTester('redis-auth-lockout', {
  valid: [
    { name: 'keys disabled with Entra ID on', template: cache({ disableAccessKeyAuthentication: true, redisConfiguration: { 'aad-enabled': 'true' } }) },
    { name: 'keys enabled', template: cache({ disableAccessKeyAuthentication: false }) },
    { name: 'Entra ID unknown', template: template([cache({ disableAccessKeyAuthentication: true, redisConfiguration: "[parameters('cfg')]" })], { parameters: { cfg: { type: 'object' } } }) },
  ],
  invalid: [
    { name: 'keys disabled, no aad-enabled', template: lockedOut, findings: [{ line: lineOf(lockedOut, 'disableAccessKeyAuthentication'), message: /no client can connect/ }] },
    { name: "keys disabled, 'aad-enabled': 'false'", template: lockedOutExplicit, findings: [{ line: lineOf(lockedOutExplicit, 'disableAccessKeyAuthentication') }] },
  ],
});
