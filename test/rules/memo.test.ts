import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Memo } from '../../rules/memo';

describe('Memo', () => {
  it('keeps one value per object, apart from other memos', () => {
    const names = new Memo<object, string[]>('names');
    const counts = new Memo<object, number>('counts');
    const a = {};
    const b = {};
    assert.equal(names.get(a), undefined);
    names.set(a, ['x']);
    counts.set(a, 2);
    assert.deepEqual(names.get(a), ['x']);
    assert.equal(counts.get(a), 2);
    assert.equal(names.get(b), undefined);
    names.set(a, ['y']);
    assert.deepEqual(names.get(a), ['y'], 'a second set replaces the value');
  });

  it('is not copied by a spread, listed as a key or written by JSON.stringify', () => {
    const part = new Memo<{ kind: string }, string>('part');
    const origin = { kind: 'parameter' };
    part.set(origin, 'memoized');
    const copy = { ...origin, part: true };
    assert.equal(part.get(copy), undefined);
    assert.deepEqual(Object.keys(origin), ['kind']);
    assert.equal(JSON.stringify(origin), '{"kind":"parameter"}');
  });

  it('works on arrays', () => {
    const index = new Memo<number[], number>('index');
    const list = [3, 1, 2];
    index.set(list, list.length);
    assert.equal(index.get(list), 3);
    assert.deepEqual([...list], [3, 1, 2]);
  });
});
