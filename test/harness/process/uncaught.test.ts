import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

describe('the uncaught-exception handler', function () {
  this.timeout(30_000);
  it('exits 70 (internal), not 1 (which means anomalies found), and says what was thrown', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', resolve('test/harness/process/fixtures/throws-uncaught.ts')], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 70, r.stderr);
    assert.match(r.stderr, /rift: uncaught error, all child processes killed: Error: stray error on purpose/);
  });
});
