import { resolve } from 'node:path';
import { intFlag, listFlag, parse } from './args.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { findConfig, loadConfig } from '../suite/load.ts';
import { runSuite } from '../suite/run-suite.ts';
import { checkBugs } from './run-choices.ts';

export const SUITE_USAGE = `rift suite NAME [options]

  NAME               a suite of the config (rift.config.ts ships nightly and certify)
  --config FILE      the config (default: rift.config.ts, .mjs or .js in the current directory)
  --shard I/N        run only shard I of N (runs dealt round-robin), e.g. 2/3
  --parallel N       runs at once (default 1)
  --bugs LIST        layer bug switches for every local-target project (calibration: certify must then fail)
  --out DIR          where summary.json, junit.xml and index.html go
                     (default: STORE/suites/NAME/TIMESTAMP)
  --store DIR        where runs are stored (default: the config's store, else ./store beside the config)
  --keep-data        every run keeps data/ and whole logs even when it passes (rift run --keep-data)
  --max-failures N   once N runs have failed, skip the runs not yet started (the verdict is already 1)
Exit codes: 0 every gate passed, 1 a gate failed, 2 a gate could not be judged, 64 usage error,
65 bad config, 70 a run could not finish.`;

export function parseShard(raw: string | undefined): { index: number; count: number } | undefined {
  if (raw === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(raw);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new CliError(`--shard must be I/N with 1 <= I <= N (got "${raw}")`, EXIT.usage);
  return { index, count };
}

export async function suiteCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    config: { type: 'string' }, shard: { type: 'string' }, parallel: { type: 'string' }, bugs: { type: 'string' },
    out: { type: 'string' }, store: { type: 'string' }, 'keep-data': { type: 'boolean' }, 'max-failures': { type: 'string' }, help: { type: 'boolean' },
  });
  if (values.help) {
    console.log(SUITE_USAGE);
    return EXIT.valid;
  }
  if (positionals.length !== 1) throw new CliError(`expected exactly one suite NAME\n\n${SUITE_USAGE}`, EXIT.usage);
  const shard = parseShard(values.shard);
  const parallel = intFlag('parallel', values.parallel, 1, 1);
  const maxFailures = values['max-failures'] === undefined ? undefined : intFlag('max-failures', values['max-failures'], 1, 1);
  const bugs = listFlag(values.bugs, []);
  checkBugs(bugs);
  const configFile = findConfig(values.config);
  const config = await loadConfig(configFile);
  const { summary, paths } = await runSuite({
    config, configFile, suite: positionals[0], parallel, bugs, keepData: values['keep-data'] === true,
    ...(maxFailures !== undefined ? { maxFailures } : {}),
    ...(shard ? { shard } : {}),
    ...(values.out !== undefined ? { outDir: resolve(values.out) } : {}),
    ...(values.store !== undefined ? { storeDir: resolve(values.store) } : {}),
  });
  const c = summary.counts;
  console.log(`suite ${summary.suite}: ${summary.status.toUpperCase()} — ${c.passed} passed, ${c.failed} failed, ${c.unknown} unknown, ${c.error} errors, ${c.skipped} skipped in ${(summary.durationMs / 1000).toFixed(0)} s`);
  console.log(`summary: ${paths.summary}\njunit: ${paths.junit}\npage: ${paths.page}`);
  return summary.exitCode;
}
