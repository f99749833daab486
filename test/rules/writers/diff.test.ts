import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffEdits, editDiff, editsDiff, originalEdits } from '../../../rules/writers/diff';
import { applyEdits } from '../../../rules/writers/arm';

const CASES: [string, string, { offset: number; length: number; content: string }][] = [
  ['a removal to the end of the text, starting at a blank line', "a {\n}\n\n#x\noutput k\n", { offset: 6, length: 12, content: '' }],
  ['an insertion at offset 0 of a text starting with a line break', '\n{\n  "a": 1\n}\n', { offset: 0, length: 0, content: '// c\n' }],
  ['a replacement inside a line', '{\n  "a": "1.0"\n}\n', { offset: 9, length: 3, content: '1.2' }],
  ['an insertion of lines in a long text', `${'x\n'.repeat(2000)}{\n}\n`, { offset: 4001, length: 0, content: '\n  "k": true\n' }],
];

describe('text differences', () => {
  for (const [name, text, edit] of CASES) {
    it(`one edit's line diff and the whole-text diff give the text the edit gives: ${name}`, () => {
      const after = applyEdits(text, [edit]);
      assert.equal(applyEdits(text, diffEdits('f', text, after)), after);
      assert.equal(applyEdits(text, editDiff('f', text, edit)), after);
    });
  }

  it('trims an edit to the characters that differ', () => {
    assert.deepEqual(diffEdits('f', '{\n  "v": "1.0"\n}\n', '{\n  "v": "1.2"\n}\n'), [{ file: 'f', offset: 12, length: 1, content: '2' }]);
  });
});

describe('edits made one after another', () => {
  it('are edits of the original text, sorted, when none lands in or against text an earlier one wrote', () => {
    const text = 'one\ntwo\nthree\n';
    // Insert at the end, then replace "two" (before the first edit: offsets unchanged), then insert at the start.
    const sequence = [
      { offset: 14, length: 0, content: 'four\n' },
      { offset: 4, length: 3, content: 'TWO' },
      { offset: 0, length: 0, content: 'zero\n' },
    ];
    const edits = originalEdits(sequence)!;
    assert.deepEqual(edits, [
      { offset: 0, length: 0, content: 'zero\n' },
      { offset: 4, length: 3, content: 'TWO' },
      { offset: 14, length: 0, content: 'four\n' },
    ]);
    let seq = text;
    for (const e of sequence) seq = applyEdits(seq, [e]);
    assert.equal(applyEdits(text, edits), seq);
    assert.equal(applyEdits(text, editsDiff('f', text, edits)), seq);
  });

  it('fold an edit within text an earlier one wrote into that edit', () => {
    const text = '0123456789';
    const cases = [
      [{ offset: 4, length: 0, content: 'abc' }, { offset: 5, length: 1, content: 'B' }],
      // At either end of the inserted text, and replacing all of it.
      [{ offset: 4, length: 0, content: 'abc' }, { offset: 7, length: 0, content: 'd' }],
      [{ offset: 4, length: 0, content: 'abc' }, { offset: 4, length: 0, content: '_' }],
      [{ offset: 4, length: 2, content: 'abc' }, { offset: 4, length: 3, content: 'XY' }],
      // A second property added after the first, by rewriting the first's closing line (what modify() does).
      [{ offset: 8, length: 1, content: '8,\n  "a": 1\n' }, { offset: 19, length: 1, content: ',\n  "b": 2\n' }, { offset: 1, length: 1, content: 'ONE' }],
    ];
    for (const sequence of cases) {
      const edits = originalEdits(sequence);
      assert.ok(edits, JSON.stringify(sequence));
      let seq = text;
      for (const e of sequence) seq = applyEdits(seq, [e]);
      assert.equal(applyEdits(text, edits), seq, JSON.stringify(sequence));
      assert.ok(edits.every((e, i) => i === 0 || e.offset > edits[i - 1].offset + edits[i - 1].length), 'sorted and apart');
    }
    assert.equal(originalEdits([{ offset: 4, length: 0, content: 'abc' }, { offset: 4, length: 0, content: '_' }])![0].content, '_abc');
  });

  it('cannot be told apart when an edit reaches from inserted text into the original, or touches it from outside', () => {
    assert.equal(originalEdits([{ offset: 4, length: 0, content: 'abc' }, { offset: 6, length: 3, content: 'B' }]), undefined, 'from inside into the original text');
    assert.equal(originalEdits([{ offset: 4, length: 0, content: 'abc' }, { offset: 3, length: 1, content: 'd' }]), undefined, 'right against it, from before');
  });

  it('diffs edits far apart separately, on their own lines', () => {
    const text = `${'line\n'.repeat(500)}end\n`;
    const edits = [{ offset: 0, length: 4, content: 'LINE' }, { offset: 2500, length: 3, content: 'END' }];
    const out = editsDiff('f', text, edits);
    assert.equal(out.length, 2);
    assert.equal(applyEdits(text, out), applyEdits(text, edits));
  });
});
