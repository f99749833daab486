import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffEdits, editDiff } from '../../../rules/writers/diff';
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
