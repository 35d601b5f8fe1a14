import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invalidCheckers, runDefault, runPreset } from '../../harness/calibrate/calibrate.ts';
import { PRESETS, presetsInUse, TABLE, validateTable } from '../../harness/calibrate/table.ts';
import { BUG_SWITCHES } from '../../layer/config.ts';

/**
 * Calibration, a representative slice of harness/calibrate/table.ts (`npm run calibrate` runs all of it over three
 * seeds): a switch from each part of the layer must be caught by its preset, and the presets must pass on the
 * correct layer. A harness that cannot tell these apart certifies nothing.
 */
const SLICE = ['acceptor-forgets-promise', 'apply-without-version-check'];
const SEED = 3;

describe('bug-switch calibration (integration)', function () {
  this.timeout(300_000);
  let store: string;
  before(() => { store = mkdtempSync(join(tmpdir(), 'rift-cal-')); });
  after(() => rmSync(store, { recursive: true, force: true }));

  it('the table has a row for every switch of the layer, each naming a known preset', () => {
    validateTable();
    assert.deepEqual(TABLE.map((r) => r.bug).sort(), [...BUG_SWITCHES].sort());
  });

  for (const bug of SLICE) {
    const row = TABLE.find((r) => r.bug === bug)!;
    it(`catches ${bug} with ${row.catches} under preset ${row.preset} (${row.why})`, async () => {
      const v = await runPreset(row.preset, SEED, bug, store);
      assert.equal(v.checkers[row.catches]?.valid, false, `${row.catches} missed ${bug}: ${JSON.stringify(v.checkers[row.catches]).slice(0, 1500)}`);
    });
  }

  // The default run (`rift run --bugs X`) with a clock switch that only a fault every 2 s, overlapping a partition or
  // catching a write right after the clock goes back, can reveal: the chaos default must reach it.
  it('the default run is red with hlc-reset-on-skew, by a promise of the contract', async () => {
    const v = await runDefault(SEED, 'hlc-reset-on-skew', store);
    assert.equal(v.valid, false, `default run valid with hlc-reset-on-skew: ${JSON.stringify(v.contract ?? v.checkers).slice(0, 1500)}`);
    assert.ok(v.contract?.lines.some((l) => l.kept === false), 'a promise, not a measurement, turned it red');
  });

  for (const preset of presetsInUse(TABLE.filter((r) => SLICE.includes(r.bug)))) {
    it(`preset ${preset} passes on the correct layer (${PRESETS[preset].what})`, async () => {
      const v = await runPreset(preset, SEED, undefined, store);
      assert.deepEqual(invalidCheckers(v), [], `false alarm: ${JSON.stringify(v.checkers).slice(0, 3000)}`);
      for (const r of TABLE.filter((x) => x.preset === preset)) assert.equal(v.checkers[r.catches]?.valid, true, `${r.catches} on the correct layer`);
    });
  }
});
