import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';

/** `npm run calibrate` refuses bad arguments with exit 64 and a message naming the option, before any run starts. */
const calibrate = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'harness/calibrate/main.ts', ...args], { encoding: 'utf8', timeout: 60_000 });

describe('calibrate command arguments', function () {
  this.timeout(120_000);

  for (const jobs of ['0', '17', '1.5', 'two']) {
    it(`refuses --jobs ${jobs}`, () => {
      const r = calibrate('--jobs', jobs);
      assert.equal(r.status, 64, r.stderr);
      assert.match(r.stderr, /--jobs must be an integer 1-16/);
    });
  }

  it('names the unknown switch given to --only', () => {
    const r = calibrate('--only', 'no-such-switch');
    assert.equal(r.status, 64, r.stderr);
    assert.match(r.stderr, /no row for no-such-switch/);
  });

  it('documents --jobs in --help', () => {
    const r = calibrate('--help');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /--jobs N/);
  });
});
