import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineMap, changeBetween } from '../../rules/lines';

/** Line and character by walking the text from the start: what LineMap must agree with. */
function walk(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let start = 0;
  const end = Math.max(0, Math.min(offset, text.length));
  for (let i = 0; i < end; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      start = i + 1;
    }
  }
  return { line, character: end - start };
}

describe('LineMap', () => {
  const texts: [string, string][] = [
    ['LF line ends', '{\n  "a": 1,\n  "b": [\n    2\n  ]\n}\n'],
    ['CRLF line ends', '{\r\n  "a": 1\r\n}\r\n'],
    ['lone CR line ends', 'one\rtwo\rthree'],
    ['mixed line ends', 'a\nb\r\nc\rd'],
    ['no line end', '{"a":1}'],
    ['empty text', ''],
    ['line ends only', '\n\n\r\n\r'],
  ];
  for (const [name, text] of texts) {
    it(`gives every offset the line and character of a walk from the start: ${name}`, () => {
      const lm = new LineMap(text);
      for (let o = 0; o <= text.length; o++) assert.deepEqual(lm.position(o), walk(text, o), `offset ${o}`);
    });
    it(`turns each position back into its offset: ${name}`, () => {
      const lm = new LineMap(text);
      for (let o = 0; o <= text.length; o++) {
        const p = lm.position(o);
        // The offset between the CR and LF of a CRLF sits at the end of its line either way.
        assert.equal(lm.offset(p.line, p.character), o, `offset ${o}`);
      }
    });
  }

  it('clamps offsets and lines outside the text', () => {
    const lm = new LineMap('ab\ncd');
    assert.deepEqual(lm.position(-5), { line: 0, character: 0 });
    assert.deepEqual(lm.position(99), { line: 1, character: 2 });
    assert.equal(lm.offset(7, 1), 4);
    assert.equal(lm.offset(-1, 0), 0);
    assert.equal(lm.offset(0, 50), 5);
  });
});

describe('changeBetween', () => {
  const apply = (before: string, after: string): string => {
    const c = changeBetween(before, after);
    return before.slice(0, c.start) + after.slice(c.start, c.oldEnd + c.delta) + before.slice(c.oldEnd);
  };
  it('finds the one replaced region, across the 1 KB blocks it compares first', () => {
    const big = 'x'.repeat(5000);
    const cases: [string, string][] = [
      ['abc', 'abc'],
      ['', 'new'],
      ['old', ''],
      ['abXcd', 'abcd'],
      ['abcd', 'abYYcd'],
      [big + 'a' + big, big + 'bb' + big],
      [big, big.slice(0, 1024) + 'y' + big.slice(1024)],
      ['aaaa', 'aaaaaa'],
    ];
    for (const [before, after] of cases) {
      const c = changeBetween(before, after);
      assert.equal(apply(before, after), after, JSON.stringify(c));
      assert.ok(c.start <= c.oldEnd && c.oldEnd <= before.length && c.oldEnd + c.delta >= c.start);
    }
    assert.deepEqual(changeBetween(big + 'a' + big, big + 'bb' + big), { start: 5000, oldEnd: 5001, delta: 1 });
    assert.deepEqual(changeBetween('abc', 'abc'), { start: 3, oldEnd: 3, delta: 0 });
  });
});
