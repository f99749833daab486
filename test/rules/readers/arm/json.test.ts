import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Node, parseTree } from 'jsonc-parser';
import { MAX_NESTING, editTree, knownLineStarts, parseJsonDoc, readAsStrict } from '../../../../rules/readers/arm/json';
import { LineMap } from '../../../../rules/lines';
import { ObjectVal, PrimVal, Span, Val, pathOf } from '../../../../rules/model';
import { prng } from '../bicep/helpers';

/** Everything the reader keeps of a node: kind, value, spans, JSON paths and the literal mark. */
function dump(v: Val): unknown {
  const at = v.at ? { start: v.at.start, end: v.at.end, path: pathOf(v.at) } : undefined;
  switch (v.kind) {
    case 'prim':
      return { prim: v.value, at };
    case 'unknown':
      return { unknown: v.text, at };
    case 'array':
      return { items: v.items.map(dump), at, literal: v.literal ?? false, hasCopy: v.hasCopy ?? false };
    case 'object':
      return {
        members: [...v.members].map(([k, m]) => [k, m.key, m.keyAt && { start: m.keyAt.start, end: m.keyAt.end, path: pathOf(m.keyAt) }, dump(m.value)]),
        at,
        literal: v.literal ?? false,
        hasCopy: v.hasCopy ?? false,
      };
  }
}

// A trailing comment is not strict JSON, so the same text goes through jsonc-parser's visitor
// instead of the strict path; offsets before the comment are unchanged.
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

  it('keeps the first place and the last value of a name repeated in any case, at every depth (checked against jsonc-parser)', () => {
    // What the tree should hold: jsonc-parser keeps every property written, repeats included.
    const expected = (n: Node): unknown => {
      if (n.type === 'array') return n.children!.map(expected);
      if (n.type !== 'object') return n.value;
      const members = new Map<string, unknown>();
      for (const p of n.children!) members.set(String(p.children![0].value).toLowerCase(), expected(p.children![1]));
      return [...members];
    };
    const actual = (v: Val): unknown => (v.kind === 'array' ? v.items.map(actual) : v.kind === 'object' ? [...v.members].map(([k, m]) => [k, actual(m.value)]) : (v as PrimVal).value);
    const rnd = prng(23);
    const NAMES = ['name', 'Name', 'NAME', 'type', 'properties', 'a'];
    const gen = (depth: number): string => {
      if (depth > 3 || rnd() < 0.3) return String(Math.floor(rnd() * 100));
      if (rnd() < 0.2) return `[${Array.from({ length: Math.floor(rnd() * 3) }, () => gen(depth + 1)).join(',')}]`;
      return `{${Array.from({ length: Math.floor(rnd() * 6) }, () => `"${NAMES[Math.floor(rnd() * NAMES.length)]}":${gen(depth + 1)}`).join(',')}}`;
    };
    const texts = ['{"name":1,"p":{"name":2,"Name":3},"NAME":4,"q":[{"name":5},{"name":6,"name":7}],"name":8}', ...Array.from({ length: 300 }, () => gen(0))];
    for (const text of texts) {
      for (const read of [viaStrict, viaVisitor]) {
        const { doc } = read(text);
        assert.ok(doc, text);
        assert.deepEqual(actual(doc.root), expected(parseTree(text)!), text);
      }
    }
  });

  it('tells apart property names of one length that start and end alike (they share a slot of the recent-names table)', () => {
    // Same length, first and last character: only the middle differs. Escaped spellings of a name
    // seen plainly, and the other way round, are the same name.
    const text = '{"aXb":1,"aYb":2,"p":{"aYb":3,"aXb":4},"aXb":5,"a\\u0058b":6,"list":[{"aZb":7},{"aZb":8,"aYb":9}],"\\u0061Zb":10,"AXB":11}';
    for (const read of [viaStrict, viaVisitor]) {
      const { doc } = read(text);
      assert.ok(doc, text);
      const root = doc.root;
      assert.equal(root.kind, 'object');
      assert.deepEqual([...root.members].map(([k, m]) => [k, m.key, (m.value as PrimVal).value ?? m.value.kind]), [
        ['axb', 'AXB', 11],
        ['ayb', 'aYb', 2],
        ['p', 'p', 'object'],
        ['list', 'list', 'array'],
        ['azb', 'aZb', 10],
      ]);
      assert.deepEqual(dump(root), dump(viaVisitor(text).doc!.root));
    }
    assert.deepEqual(JSON.parse(text).aXb, 6);
  });

  it('reads a text on the strict path exactly when JSON.parse accepts it (seeded mutations of JSON texts)', () => {
    const rnd = prng(31);
    const bases = [
      ...TEXTS.map(([, text]) => text),
      JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', parameters: { n: { type: 'string', defaultValue: 'c\u00e9' } }, resources: [{ type: 'Microsoft.Cache/redis', apiVersion: '2024-03-01', name: "[parameters('n')]", properties: { enableNonSslPort: false, minimumTlsVersion: '1.2', sku: { capacity: 1.5e2 } } }] }, null, 2),
    ];
    // Characters that matter to the grammar, and some that JSON does not allow where they land.
    const alphabet = ['{', '}', '[', ']', ',', ':', '"', '\\', 'u', '0', '1', '-', '+', '.', 'e', 'E', 't', 'n', 'a', ' ', '\n', '\r', '\t', '\u0000', '\u001f', '\u00a0', '\u000b', '\ufeff', '/', '*', 'x'];
    let accepted = 0;
    let rejected = 0;
    for (let round = 0; round < 4000; round++) {
      let text = bases[Math.floor(rnd() * bases.length)];
      for (let k = 1 + Math.floor(rnd() * 2); k > 0; k--) {
        const at = Math.floor(rnd() * (text.length + 1));
        const ch = alphabet[Math.floor(rnd() * alphabet.length)];
        const op = rnd();
        text = op < 0.4 ? text.slice(0, at) + ch + text.slice(at) : op < 0.7 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + ch + text.slice(at + 1);
      }
      let json = true;
      try {
        JSON.parse(text);
      } catch {
        json = false;
      }
      const { doc } = viaStrict(text);
      const strict = !!doc && readAsStrict(doc.root);
      assert.equal(strict, json, `${json ? 'JSON.parse accepts' : 'JSON.parse rejects'} ${JSON.stringify(text)}`);
      if (strict) {
        accepted++;
        const other = viaVisitor(text);
        assert.ok(other.doc, text);
        assert.deepEqual(dump(doc.root), dump(other.doc.root), text);
      } else rejected++;
    }
    // Both sides of the line were tried.
    assert.ok(accepted > 200 && rejected > 200, `accepted ${accepted}, rejected ${rejected}`);
  });

  it('reads a text the same after any other read, one that stopped midway or threw included (reads share one builder)', () => {
    const alone = TEXTS.map(([, text]) => dump(viaStrict(text).doc!.root));
    // The strict path gives up at the comment with three containers open; the visitor reads the rest.
    const stopped = '{"a":{"Name":[{"name":1}, // c\n]}}';
    // jsonc-parser's visitor descends recursively: this deep, it exhausts the stack and throws.
    const threw = `// c\n${'['.repeat(1_000_000)}`;
    assert.ok(parseJsonDoc('s.json', stopped).doc);
    assert.match(parseJsonDoc('t.json', threw).error!.message, /nested deeper than/);
    for (const [i, [name, text]] of TEXTS.entries()) {
      assert.deepEqual(dump(viaStrict(text).doc!.root), alone[i], name);
      assert.deepEqual(dump(viaVisitor(text).doc!.root), alone[i], name);
    }
    // Names and files are those of the text read, not of the one before.
    parseJsonDoc('a.json', '{"NAME":{"Type":1}}');
    const { doc } = parseJsonDoc('b.json', '{"name":{"type":2}}');
    const root = doc!.root as ObjectVal;
    assert.equal(root.at!.file, 'b.json');
    assert.deepEqual([...root.members.values()].map((m) => [m.key, m.keyAt!.file]), [['name', 'b.json']]);
    assert.deepEqual([...(root.members.get('name')!.value as ObjectVal).members.values()].map((m) => m.key), ['type']);
  });

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

  it('with likelyInvalid, finds the same error without building a tree, and still reads valid JSONC', () => {
    const deepThenBroken = '['.repeat(MAX_NESTING + 1) + ']'.repeat(MAX_NESTING + 1);
    const texts = [
      '{"a": }',
      '{\n  "a": 1,\n  "ena\n  "b": 2\n}',
      '{"a": [1, 2}',
      '{"a": 1 "b": 2}',
      '',
      '   ',
      '{ "a": 1, } // comment',
      '{ /* c */ "a": [1, 2,] }',
      `{"x": ${deepThenBroken.slice(0, -1)}`,
      `{"x": ${deepThenBroken}, }`,
      `{"x": 1 "y": ${deepThenBroken}}`,
    ];
    for (const text of texts) {
      const hinted = parseJsonDoc('t.json', text, { likelyInvalid: true });
      const plain = parseJsonDoc('t.json', text);
      assert.deepEqual(hinted.error, plain.error, JSON.stringify(text.slice(0, 40)));
      assert.equal(!!hinted.doc, !!plain.doc);
      if (plain.doc) assert.deepEqual(dump(hinted.doc!.root), dump(plain.doc.root));
    }
    assert.equal(readAsStrict(viaStrict('{"a":1}').doc!.root), true);
    assert.equal(readAsStrict(viaVisitor('{"a":1}').doc!.root), false);
  });

  // A template as people write them: strings with and without expressions, keys, numbers, CRLF-free.
  const TEMPLATE = JSON.stringify(
    {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      parameters: { cacheName: { type: 'string', defaultValue: 'orders-cache' }, tls: { type: 'string', defaultValue: '1.2', allowedValues: ['1.0', '1.1', '1.2'] } },
      resources: [
        {
          type: 'Microsoft.Cache/redis',
          apiVersion: '2024-11-01',
          name: "[parameters('cacheName')]",
          location: 'westeurope',
          tags: { owner: 'payments', costCenter: 'CC-1234' },
          properties: { sku: { name: 'Premium', family: 'P', capacity: 1 }, shardCount: 2, replicasPerPrimary: 1, zones: null, minimumTlsVersion: "[parameters('tls')]", enableNonSslPort: false, publicNetworkAccess: 'Disabled' },
        },
        { type: 'Microsoft.Cache/redis/firewallRules', apiVersion: '2024-11-01', name: "[format('{0}/office', parameters('cacheName'))]", properties: { startIP: '203.0.113.0', endIP: '203.0.113.255' } },
      ],
    },
    null,
    2,
  );

  function keySpans(v: Val, out: Span[] = []): Span[] {
    if (v.kind === 'array') v.items.forEach((x) => keySpans(x, out));
    else if (v.kind === 'object') for (const m of v.members.values()) (out.push(m.keyAt!), keySpans(m.value, out));
    return out;
  }

  function values(v: Val, out: PrimVal[] = []): PrimVal[] {
    if (v.kind === 'prim') out.push(v);
    else if (v.kind === 'array') v.items.forEach((x) => values(x, out));
    else if (v.kind === 'object') for (const m of v.members.values()) values(m.value, out);
    return out;
  }

  it('edits the tree in place for an edit within one value, giving what reading the new text gives', () => {
    const rnd = prng(7);
    let text = TEMPLATE;
    let root = parseJsonDoc('t.json', text).doc!.root;
    const made = { string: 0, other: 0 };
    let refused = 0;
    for (let step = 0; step < 400; step++) {
      const all = values(root);
      const literals = all.filter((v) => typeof v.value !== 'string');
      // Half the edits at a number, boolean or null: most edits there break the JSON and are skipped.
      const pool = rnd() < 0.5 ? literals : all;
      const target = pool[Math.floor(rnd() * pool.length)];
      const quoted = typeof target.value === 'string';
      // Inside the quotes of a string; anywhere in (or at the edges of) a number, boolean or null.
      const lo = target.at!.start + (quoted ? 1 : 0);
      const hi = target.at!.end - (quoted ? 1 : 0);
      const from = lo + Math.floor(rnd() * (hi - lo + 1));
      const len = Math.floor(rnd() * Math.min(4, hi - from + 1));
      const inserts = quoted ? ['', 'x', '-9', 'Premium', '[', ']', ' '] : ['', '0', '7', '.5', 'e3', '-', 'true', 'false', 'null', 'x'];
      const insert = inserts[Math.floor(rnd() * inserts.length)];
      const next = text.slice(0, from) + insert + text.slice(from + len);
      const fresh = parseJsonDoc('t.json', next).doc;
      // An edit that breaks the JSON (a number like 1.5.5) is not one to carry on from.
      if (!fresh) continue;
      const before = dump(root);
      const doc = editTree(root, next);
      if (doc) {
        made[quoted ? 'string' : 'other']++;
        assert.equal(doc.root, root, 'the same tree, edited');
        assert.deepEqual(dump(doc.root), dump(fresh.root), `step ${step}: ${JSON.stringify(insert)} at ${from}`);
      } else {
        refused++;
        assert.deepEqual(dump(root), before, `step ${step}: a refused edit leaves the tree as it was`);
        // Read anew, as the engine does, and go on from that tree.
        root = fresh.root;
      }
      text = next;
    }
    assert.ok(made.string > 150 && made.other > 20 && refused > 0, `edits made in place: ${JSON.stringify(made)}, refused (expression brackets): ${refused}`);
  });

  it('renames a property in place for an edit within its name, giving what reading the new text gives', () => {
    const rnd = prng(11);
    let text = TEMPLATE;
    const root = parseJsonDoc('t.json', text).doc!.root;
    let renamed = 0;
    let refused = 0;
    const inserts = ['', 'x', 'S', '-', ' ', 'name', 'Location', 'copy', 'properties'];
    for (let step = 0; step < 400; step++) {
      const keys = keySpans(root);
      const k = keys[Math.floor(rnd() * keys.length)];
      let from = k.start + 1 + Math.floor(rnd() * (k.end - k.start - 1));
      let len = Math.floor(rnd() * Math.min(3, k.end - 1 - from + 1));
      let insert = inserts[Math.floor(rnd() * inserts.length)];
      if (rnd() < 0.1) {
        // The whole name replaced by another name of the same object, or by copy: refused.
        const siblings = keys.filter((o) => o !== k && Math.abs(o.start - k.start) < 200).map((o) => text.slice(o.start + 1, o.end - 1));
        [from, len, insert] = [k.start + 1, k.end - k.start - 2, rnd() < 0.5 && siblings.length ? siblings[0].toUpperCase() : 'Copy'];
      }
      const next = text.slice(0, from) + insert + text.slice(from + len);
      if (next === text) continue;
      const fresh = parseJsonDoc('t.json', next).doc!;
      const before = dump(root);
      const doc = editTree(root, next);
      if (doc) {
        assert.ok(doc.edit?.key, `step ${step}: a rename`);
        assert.deepEqual(dump(doc.root), dump(fresh.root), `step ${step}: ${next.slice(from - 10, from + 10)}`);
        text = next;
        renamed++;
      } else {
        assert.deepEqual(dump(root), before, `step ${step}: a refused edit leaves the tree alone`);
        refused++;
      }
    }
    assert.ok(renamed > 200 && refused > 5, `renamed ${renamed}, refused ${refused}`);
  });

  it('does not rename a property of an object that repeats a name (the value the tree dropped would come back)', () => {
    const text = TEMPLATE.replace('"location": "westeurope"', '"location": "northeurope",\n      "location": "westeurope"');
    const root = parseJsonDoc('t.json', text).doc!.root;
    const at = text.lastIndexOf('"location"');
    const next = text.slice(0, at) + '"region"' + text.slice(at + '"location"'.length);
    assert.equal(editTree(root, next), undefined);
    const elsewhere = next.replace('"owner"', '"owners"');
    assert.ok(editTree(parseJsonDoc('t.json', next).doc!.root, elsewhere)?.edit?.key, 'another object is renamed in place');
  });

  it('renames a property of an object with many members (a Map) in place, keeping its order', () => {
    const big = JSON.stringify({ resources: [], variables: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`v${i}`, i])) }, null, 2);
    const root = parseJsonDoc('t.json', big).doc!.root;
    const next = big.replace('"v7"', '"renamed"');
    const doc = editTree(root, next);
    assert.deepEqual(doc?.edit?.key, { path: ['variables'], before: 'v7', after: 'renamed' });
    assert.deepEqual(dump(doc!.root), dump(parseJsonDoc('t.json', next).doc!.root));
  });

  it('refuses edits that change more than one value, or break one, and then leaves the tree alone', () => {
    const refused: [string, (t: string) => string][] = [
      ['a quote typed into a property name', (t) => t.replace('"location"', '"loca"tion"')],
      ['a property renamed to a name its object has', (t) => t.replace('"location"', '"Tags"')],
      ['a property renamed to copy', (t) => t.replace('"location"', '"copy"')],
      ['a property name and its value at once', (t) => t.replace('"location": "westeurope"', '"region": "uksouth"')],
      ['a quote typed into a value', (t) => t.replace('westeurope', 'west"europe')],
      ['a backslash typed into a value', (t) => t.replace('westeurope', 'west\\\\europe')],
      ['a value turned into an expression', (t) => t.replace('"Disabled"', '"[Disabled]"')],
      ['an expression turned into a value', (t) => t.replace(`"[parameters('tls')]"`, `"parameters('tls')]"`)],
      ['a number that is no longer one', (t) => t.replace('"capacity": 1', '"capacity": 1x')],
      ['a boolean misspelt', (t) => t.replace('"enableNonSslPort": false', '"enableNonSslPort": fals')],
      ['two values at once', (t) => t.replace('westeurope', 'northeurope').replace('payments', 'catalog')],
      ['a space typed inside a number', (t) => t.replace('"shardCount": 2', '"shardCount": 2 2')],
    ];
    for (const [name, change] of refused) {
      const root = parseJsonDoc('t.json', TEMPLATE).doc!.root;
      const before = dump(root);
      const next = change(TEMPLATE);
      assert.notEqual(next, TEMPLATE, name);
      assert.equal(editTree(root, next), undefined, name);
      assert.deepEqual(dump(root), before, `${name}: the tree is unchanged`);
    }
  });

  it('moves the spans for whitespace typed or deleted between tokens, giving what reading the new text gives', () => {
    const rnd = prng(11);
    let text = TEMPLATE;
    const root = parseJsonDoc('t.json', text).doc!.root;
    let moved = 0;
    let refused = 0;
    for (let step = 0; step < 400; step++) {
      const o = Math.floor(rnd() * text.length);
      const deleting = rnd() < 0.4 && /\s/.test(text[o]);
      const inserts = [' ', '\n', '\n    ', '\t', '\r\n'];
      const next = deleting ? text.slice(0, o) + text.slice(o + 1) : text.slice(0, o) + inserts[Math.floor(rnd() * inserts.length)] + text.slice(o);
      const fresh = parseJsonDoc('t.json', next).doc;
      if (!fresh) continue;
      // Inside a token (a key, a string, a number) of the text before: a value edit if anything, never a move between tokens.
      const old = parseJsonDoc('t.json', text).doc!.root;
      const tokens = [...values(old).map((v) => v.at!), ...keySpans(old)];
      const within = tokens.some((t) => (deleting ? t.start <= o && o < t.end : t.start < o && o < t.end));
      const doc = editTree(root, next);
      if (!within) {
        assert.ok(doc, `step ${step}: whitespace between tokens at ${o} is moved, not read anew`);
        assert.equal(doc.edit?.value, undefined, 'no value changed');
        moved++;
      }
      if (doc) {
        assert.deepEqual(dump(doc.root), dump(fresh.root), `step ${step}: at ${o}`);
        text = next;
      } else refused++;
    }
    // (Whitespace inside a property name renames it: only numbers refuse it.)
    assert.ok(moved > 120 && refused > 0, `moved ${moved}, refused ${refused}`);
  });

  it('finds the edit wherever it falls against the 1 KB blocks the texts are compared in', () => {
    const big = JSON.stringify({ resources: Array.from({ length: 120 }, (_, i) => ({ name: `cache-${i}-${'x'.repeat(i % 7)}`, sku: 'Premium' })) }, null, 2);
    assert.ok(big.length > 5000);
    let checked = 0;
    for (const block of [1024, 2048, 4096]) {
      for (let o = block - 8; o <= block + 8; o++) {
        const fresh = parseJsonDoc('t.json', big).doc!;
        // An insertion of a letter into a string value there (skipped when o is not inside one).
        const target = values(fresh.root).find((v) => typeof v.value === 'string' && v.at!.start < o && o < v.at!.end);
        if (!target) continue;
        const next = big.slice(0, o) + 'q' + big.slice(o);
        const doc = editTree(fresh.root, next);
        assert.ok(doc, `an edit at ${o}`);
        assert.deepEqual(dump(doc.root), dump(parseJsonDoc('t.json', next).doc!.root), `at ${o}`);
        checked++;
      }
    }
    assert.ok(checked >= 10, `edits checked: ${checked}`);
  });

  it('leaves whitespace edits of a text with comments to a new read (a deleted line break could comment out a line)', () => {
    const text = '{\n  // the cache\n  "a": 1\n}';
    const root = parseJsonDoc('t.json', text).doc!.root;
    assert.equal(editTree(root, text.replace('cache\n', 'cache ')), undefined);
    assert.equal(editTree(root, text.replace('{\n', '{\n\n')), undefined);
  });

  it('edits only a tree it read (and the text that tree describes now)', () => {
    const root = parseJsonDoc('t.json', TEMPLATE).doc!.root;
    const once = TEMPLATE.replace('westeurope', 'uksouth');
    assert.ok(editTree(root, once));
    const twice = once.replace('uksouth', 'ukwest');
    const doc = editTree(root, twice);
    assert.ok(doc, 'the edited tree describes the edited text, so the next edit is measured from it');
    assert.deepEqual(dump(doc.root), dump(parseJsonDoc('t.json', twice).doc!.root));
    assert.equal(editTree({ kind: 'prim', value: 'x' }, twice), undefined, 'a tree built elsewhere');
  });
});

describe('line starts found by the strict path', () => {
  const texts: [string, string][] = [
    ['LF', '{\n  "a": 1,\n  "b": [\n    2\n  ]\n}\n'],
    ['CRLF', '{\r\n  "a": "x",\r\n  "b": {}\r\n}'],
    ['lone CR and mixed', '{\r"a":\n1,\r\n"b"\r:\r[\n]}\r'],
    ['one line', '{"a":[1,2,3]}'],
    ['many lines (the array grows)', `[\n${Array.from({ length: 5000 }, (_, i) => `  ${i}`).join(',\n')}\n]`],
  ];
  for (const [name, text] of texts) {
    it(`are where LineMap finds them: ${name}`, () => {
      const { doc } = parseJsonDoc('t.json', text);
      assert.ok(doc);
      const known = knownLineStarts(doc.root, text);
      assert.ok(known, 'read on the strict path');
      const found = new LineMap(text, known);
      const own = new LineMap(text);
      assert.equal(found.lineCount, own.lineCount);
      for (let o = 0; o <= text.length; o++) assert.deepEqual(found.position(o), own.position(o), `offset ${o}`);
    });
  }

  it('are not given for another text, nor for a tree read through the visitor', () => {
    const text = '{\n"a": 1\n}';
    const { doc } = parseJsonDoc('t.json', text);
    assert.equal(knownLineStarts(doc!.root, `${text} `), undefined);
    const jsonc = parseJsonDoc('t.json', `${text}\n// comment`);
    assert.equal(knownLineStarts(jsonc.doc!.root, `${text}\n// comment`), undefined);
  });
});
