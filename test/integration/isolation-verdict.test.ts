import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../harness/runner.ts';
import { parseRunSpec } from '../../harness/cli/run.ts';
import { Progress } from '../../harness/progress.ts';
import { netnsUnavailableReason } from '../../harness/isolation/probe.ts';

const quiet = () => new Progress({ isTTY: false, write: () => true } as unknown as NodeJS.WriteStream);
const netnsMissing = netnsUnavailableReason();

/** The default run, short, once per isolation: the layer keeps its contract either way, and run.json says which ran. */
describe('the default run under netns and process isolation (integration)', function () {
  this.timeout(240_000);
  let store: string;
  before(function () {
    if (netnsMissing) {
      console.log(`      skipped: ${netnsMissing}`);
      this.skip();
    }
    store = mkdtempSync(join(tmpdir(), 'rift-iso-verdict-'));
  });
  after(() => { if (store) rmSync(store, { recursive: true, force: true }); });

  it('gives the same verdict (contract kept) with netns, the default here, and with process', async () => {
    const verdicts: Record<string, number> = {};
    for (const isolation of ['default', 'process']) {
      const args = ['--time-limit', '6', '--seed', '21', '--settle', '1', '--nemesis-interval', '2', '--store', store, '--name', isolation,
        ...(isolation === 'process' ? ['--isolation', 'process'] : [])];
      const out = await run(parseRunSpec(args, () => undefined), quiet());
      const info = JSON.parse(readFileSync(out.dir.runJson, 'utf8'));
      assert.equal(info.isolation, isolation === 'process' ? 'process' : 'netns');
      assert.equal(typeof info.setupMs, 'number');
      verdicts[info.isolation] = out.exitCode;
    }
    assert.deepEqual(verdicts, { netns: 0, process: 0 });
  });
});
