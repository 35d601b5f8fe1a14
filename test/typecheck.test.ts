import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';

/** tsx runs the code without type checking, so strict types are enforced here, as part of the suite. */
describe('TypeScript (tsc --noEmit, strict)', function () {
  this.timeout(180_000);
  it('type-checks every module and test', () => {
    const r = spawnSync('node_modules/.bin/tsc', ['--noEmit', '-p', '.'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `tsc found errors:\n${r.stdout}${r.stderr}`);
  });
});
