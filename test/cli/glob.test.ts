// The CLI's glob matcher (unit tests; no process spawned).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { globToRegExp, isIgnored, splitGlob } from '../../cli/glob';

const m = (p: string, g: string): boolean => globToRegExp(g).test(p);

describe('glob matcher', () => {
  it('* and ? stay within a segment', () => {
    assert.ok(m('a.json', '*.json'));
    assert.ok(!m('dir/a.json', '*.json'));
    assert.ok(m('dir/a.json', 'dir/*.json'));
    assert.ok(m('ab.json', 'a?.json'));
    assert.ok(!m('a/.json', 'a?.json'));
    assert.ok(m('.hidden.json', '*.json'));
  });

  it('** spans zero or more segments', () => {
    assert.ok(m('a.json', '**/*.json'));
    assert.ok(m('x/y/z/a.json', '**/*.json'));
    assert.ok(m('x/a.json', 'x/**/a.json'));
    assert.ok(m('x/y/z/a.json', 'x/**/a.json'));
    assert.ok(!m('xa.json', 'x/**/a.json'));
    assert.ok(m('x/y/z', 'x/**'));
    assert.ok(!m('x', 'x/**'));
  });

  it('everything else is literal', () => {
    assert.ok(m('a+b (1).json', 'a+b (1).json'));
    assert.ok(!m('aXjson', 'a.json'));
    assert.ok(m('[x].json', '[x].json'));
    assert.ok(m('a{b}.json', 'a{b}.json'));
  });

  it('splits the literal base from the pattern', () => {
    assert.deepEqual(splitGlob('infra/**/*.json'), { base: 'infra', rest: '**/*.json' });
    assert.deepEqual(splitGlob('*.json'), { base: '.', rest: '*.json' });
    assert.deepEqual(splitGlob('/abs/dir/*.json'), { base: '/abs/dir', rest: '*.json' });
    assert.deepEqual(splitGlob('/*.json'), { base: '/', rest: '*.json' });
    assert.deepEqual(splitGlob('a/b?/c.json'), { base: 'a', rest: 'b?/c.json' });
  });

  it('ignore patterns are gitignore-like', () => {
    assert.ok(isIgnored('gen/a.json', ['gen/'], false));
    assert.ok(isIgnored('x/gen', ['gen/'], true));
    assert.ok(!isIgnored('x/gen', ['gen/'], false), 'a trailing slash matches directories only');
    assert.ok(isIgnored('deep/x.generated.json', ['*.generated.json']));
    assert.ok(isIgnored('build/out/a.json', ['build']));
    assert.ok(!isIgnored('src/build/a.json', ['/build']), 'a leading slash anchors');
    assert.ok(isIgnored('build/a.json', ['/build']));
    assert.ok(isIgnored('infra/test/a.json', ['infra/**/a.json']));
    assert.ok(!isIgnored('a.json', []));
    assert.ok(!isIgnored('../outside.json', ['**']), 'files outside the config directory are not matched');
  });
});
