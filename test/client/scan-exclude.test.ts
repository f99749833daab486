import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inNodeModules, scanExcludeGlob } from '../../client/scan-exclude';

describe('Scan workspace: what it leaves out', () => {
  it('node_modules and the files.exclude patterns that are on, in one brace group', () => {
    assert.equal(scanExcludeGlob(undefined), '**/node_modules/**');
    assert.equal(scanExcludeGlob({ '**/.git': true, '**/generated': true, '**/build': false }), '{**/node_modules/**,**/.git,**/generated}');
  });

  it('leaves a conditional pattern to the editor and gives up on patterns with braces or commas', () => {
    assert.equal(scanExcludeGlob({ '**/*.js': { when: '$(basename).ts' } }), '**/node_modules/**');
    assert.equal(scanExcludeGlob({ '**/*.{tmp,bak}': true }), undefined);
  });

  it('knows a node_modules path', () => {
    assert.ok(inNodeModules('/w/node_modules/x/azuredeploy.json'));
    assert.ok(!inNodeModules('/w/my_node_modules_notes/azuredeploy.json'));
  });
});
