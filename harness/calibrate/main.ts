import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { installCleanup } from '../process/groups.ts';
import { EXIT } from '../cli/exit-codes.ts';
import { accepted, calibrate, calibrateDefault, defaultAccepted, formatDefaultReport, formatReport } from './calibrate.ts';
import { BUG_SWITCHES } from '../../layer/config.ts';
import { TABLE } from './table.ts';
import { calibrateSuite, formatSuiteReport, suiteAccepted } from './suite-calibration.ts';
import { findConfig, loadConfig } from '../suite/load.ts';

const USAGE = `npm run calibrate -- [--seeds 1,2,3] [--only SWITCH,...] [--no-clean] [--jobs N] [--store DIR] [--default | --suite NAME]

Runs every bug switch of the layer over its calibration preset (harness/calibrate/table.ts) for each seed, then
every preset on the correct layer, and prints: switch -> caught by which checker in how many seeds, and false
alarms per preset. Exit 0 when every switch is caught in >= 2/3 of the seeds with no false alarm, 1 otherwise,
64 on bad arguments. --jobs runs N runs at a time (default 1; each deploys its own regions, so mind the cores).

--default runs the default run instead (\`rift run --bugs X --seed S\`, every other option at its default) for
every switch and on the correct layer: accepted when it is red with every switch in every seed and green on the
correct layer in every seed.

--suite NAME runs that suite of rift.config.ts once per switch (\`rift suite NAME --bugs X --max-failures 1\`) and
once on the correct layer: accepted when it exits 1 with every switch and 0 on the correct layer. --seeds and
--jobs do not apply (the suite's own seeds are used, one run at a time).`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { default: { type: 'boolean' }, suite: { type: 'string' }, seeds: { type: 'string' }, only: { type: 'string' }, 'no-clean': { type: 'boolean' }, store: { type: 'string' }, jobs: { type: 'string' }, help: { type: 'boolean' } }, strict: true }));
  } catch (e) {
    console.error(`calibrate: ${(e as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (values.help) {
    console.log(USAGE);
    return EXIT.valid;
  }
  const seeds = (values.seeds ?? '1,2,3').split(',').map(Number);
  if (seeds.some((s) => !Number.isSafeInteger(s))) {
    console.error(`calibrate: --seeds must be comma-separated integers, got ${JSON.stringify(values.seeds)}`);
    return EXIT.usage;
  }
  const jobs = Number(values.jobs ?? '1');
  if (!Number.isSafeInteger(jobs) || jobs < 1 || jobs > 16) {
    console.error(`calibrate: --jobs must be an integer 1-16, got ${JSON.stringify(values.jobs)}`);
    return EXIT.usage;
  }
  const only = values.only?.split(',');
  const unknown = only?.filter((b) => !(BUG_SWITCHES as readonly string[]).includes(b)) ?? [];
  if (unknown.length) {
    console.error(`calibrate: --only: no row for ${unknown.join(', ')}; switches are ${TABLE.map((r) => r.bug).join(', ')}`);
    return EXIT.usage;
  }
  const rows = only ? TABLE.filter((r) => only.includes(r.bug)) : TABLE;
  const store = values.store ? resolve(values.store) : mkdtempSync(join(tmpdir(), 'rift-calibrate-'));
  if (values.suite !== undefined) {
    const configFile = findConfig(undefined);
    const config = await loadConfig(configFile);
    if (!config.suites[values.suite]) {
      console.error(`calibrate: --suite: no suite "${values.suite}" in ${configFile}; suites: ${Object.keys(config.suites).join(', ')}`);
      return EXIT.usage;
    }
    const bugs = only ?? [...BUG_SWITCHES];
    console.log(`calibrate: suite ${values.suite}, ${bugs.length} switches and the correct layer; runs stored under ${store}`);
    const report = await calibrateSuite({ config, configFile, suite: values.suite, bugs, store, onRun: (l) => console.log(`  ${l}`) });
    console.log(`\n${formatSuiteReport(report)}`);
    return suiteAccepted(report) ? EXIT.valid : EXIT.anomalies;
  }
  if (values.default) {
    const bugs = only ?? [...BUG_SWITCHES];
    console.log(`calibrate: the default run, ${bugs.length} switches and the correct layer x ${seeds.length} seeds; runs stored under ${store}`);
    const report = await calibrateDefault({ bugs, seeds, store, jobs, onRun: (l) => console.log(`  ${l}`) });
    console.log(`\n${formatDefaultReport(report)}`);
    return defaultAccepted(report) ? EXIT.valid : EXIT.anomalies;
  }
  console.log(`calibrate: ${rows.length} switches x ${seeds.length} seeds; runs stored under ${store}`);
  const report = await calibrate({ rows, seeds, store, clean: !values['no-clean'], jobs, onRun: (l) => console.log(`  ${l}`) });
  console.log(`\n${formatReport(report)}`);
  return accepted(report) ? EXIT.valid : EXIT.anomalies;
}

installCleanup({ uncaught: true });
process.exitCode = await main();
process.exit();
