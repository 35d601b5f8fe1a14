import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../harness/runner.ts';
import { LOCAL_LOAD, parseRunSpec } from '../../harness/cli/run.ts';
import { Progress } from '../../harness/progress.ts';
import { readHistory } from '../../harness/history/reader.ts';

const quiet = () => new Progress({ isTTY: false, write: () => true } as unknown as NodeJS.WriteStream);

/**
 * The default run (`npm start` = `rift run` with the defaults: every tier of the layer at once, under isolation and
 * kills) on the correct layer keeps its contract, over several seeds; only the time limit is shortened.
 */
describe('the default run keeps the correct layer\'s contract (integration)', function () {
  this.timeout(150_000);
  let store: string;
  before(() => { store = mkdtempSync(join(tmpdir(), 'rift-contract-')); });
  after(() => rmSync(store, { recursive: true, force: true }));

  for (const seed of [11, 12]) {
    it(`seed ${seed}: every promise kept, linearizability of the normal tier and stale reads measured`, async () => {
      const out = await run(parseRunSpec(['--time-limit', '10', '--nemesis-interval', '2.5', '--seed', String(seed), '--store', store, '--name', `default-${seed}`]), quiet());
      const results = JSON.parse(readFileSync(out.dir.results, 'utf8'));
      const broken = (results.contract.lines as { checker: string; kept: unknown }[]).filter((l) => l.kept !== true);
      assert.deepEqual(broken, [], JSON.stringify(broken.map((l) => results.checkers[l.checker])).slice(0, 3000));
      assert.equal(results.valid, true);
      assert.equal(out.exitCode, 0);
      const proved = (results.contract.lines as { checker: string }[]).map((l) => l.checker);
      for (const c of ['linearizable [critical/register/*]', 'session-guarantees [register/*]', 'set [set/*]', 'counter [counter/*]', 'convergence [register/*]', 'hot-staleness [hot/register/*]']) {
        assert.ok(proved.includes(c), `${c} is a promise: ${proved.join(', ')}`);
      }
      assert.ok(results.measurements.includes('linearizable [register/*]'), 'normal-tier linearizability is measured, not promised');
      const stale = results.checkers['stale-reads [register/*]'];
      assert.equal(typeof stale.staleFraction, 'number');
      assert.ok(stale.reads > 0, JSON.stringify(stale));
      assert.match(readFileSync(out.dir.report, 'utf8'), /<h1 id="verdict">Contract kept<\/h1>[\s\S]*id="stale-reads"/);
      const info = JSON.parse(readFileSync(out.dir.runJson, 'utf8'));
      assert.equal(info.load.askedRate, LOCAL_LOAD.rate);
      assert.ok(info.load.achievedRate > 0);
      const { ops } = await readHistory(out.dir.history);
      assert.ok(ops.some((o) => o.process === 'nemesis' && o.type === 'info' && o.meta?.tookEffect), 'a fault took effect');
    });
  }
});
