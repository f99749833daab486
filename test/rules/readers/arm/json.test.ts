import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_NESTING, parseJsonDoc } from '../../../../rules/readers/arm/json';
import { Val } from '../../../../rules/model';

/** Everything the reader keeps of a node: kind, value, spans, JSON paths and the literal mark. */
function dump(v: Val): unknown {
  const at = v.at ? { start: v.at.start, end: v.at.end, path: v.at.path } : undefined;
  switch (v.kind) {
    case 'prim':
      return { prim: v.value, at };
    case 'unknown':
      return { unknown: v.text, at };
    case 'array':
      return { items: v.items.map(dump), at, literal: v.literal ?? false, hasCopy: v.hasCopy ?? false };
    case 'object':
      return {
        members: [...v.members].map(([k, m]) => [k, m.key, m.keyAt && { start: m.keyAt.start, end: m.keyAt.end, path: m.keyAt.path }, dump(m.value)]),
        at,
        literal: v.literal ?? false,
        hasCopy: v.hasCopy ?? false,
      };
  }
}

// A trailing comment is not strict JSON, so the same text goes through jsonc-parser's visitor
// instead of the JSON.parse path; offsets before the comment are unchanged.
const viaVisitor = (text: string) => parseJsonDoc('t.json', `${text}\n// visitor`);
const viaStrict = (text: string) => parseJsonDoc('t.json', text);

const TEXTS: [string, string][] = [
  ['a template with expressions and nesting', JSON.stringify({ $schema: 'x', resources: [{ type: 'Microsoft.Cache/redis', name: "[parameters('n')]", properties: { sku: { name: 'Premium', capacity: 1 }, tags: [] } }] }, null, 2)],
  ['minified text', '{"a":[1,2,{"b":"[c]"}],"d":{}}'],
  ['escapes in keys and values', '{ "k\\"ey": "va\\\\lue\\n", "\\u0041": "\\u00e9\\ud83d\\ude00", "plain": "x" }'],
  ['numbers, booleans and null', '{"n":[0,-1.5,2e10,1E-3,12345678901234567890],"t":true,"f":false,"z":null}'],
  ['duplicate and case-variant keys (the last value wins)', '{"name":"a","Name":"b","name":"c","other":1}'],
  ['integer-like keys stay in document order', '{"b":1,"10":2,"2":3,"a":4}'],
  ['a primitive root', '"[concat(1)]"'],
  ['an escaped expression is a literal', '{"s":"[[not an expression]","arr":["[[x]"]}'],
  ['tabs and CRLF line ends', '{\r\n\t"a": [\r\n\t\t"[b]" ,\r\n\t\t{ }\r\n\t]\r\n}'],
  ['non-ASCII text', '{"beschreibung":"Größe für 東京","emoji":"😀"}'],
  ['property iteration marks the objects on the way to it', '{"properties":{"a":{"COPY":[{"name":"d","count":2,"input":{}}]},"b":{"x":1}}}'],
];

describe('JSON reader', () => {
  for (const [name, text] of TEXTS) {
    it(`builds the same located tree for strict JSON as the visitor: ${name}`, () => {
      const a = viaStrict(text);
      const b = viaVisitor(text);
      assert.ok(a.doc && b.doc, `both read: ${a.error?.message ?? ''} ${b.error?.message ?? ''}`);
      assert.deepEqual(dump(a.doc.root), dump(b.doc.root));
    });
  }

  it('reports nesting past the limit on the strict path as the visitor does', () => {
    const deep = '['.repeat(MAX_NESTING + 1) + ']'.repeat(MAX_NESTING + 1);
    assert.equal(viaStrict(deep).error?.message, viaVisitor(deep).error?.message);
    assert.match(viaStrict(deep).error!.message, /nested deeper than/);
  });

  it('reads text with comments or trailing commas through the visitor, with its errors', () => {
    assert.ok(parseJsonDoc('t.json', '{ // c\n "a": [1, 2,], }').doc);
    assert.match(parseJsonDoc('t.json', '{"a": }').error!.message, /invalid JSON/);
    assert.ok(parseJsonDoc('t.json', '   ').error, 'whitespace only is an error');
  });
});
