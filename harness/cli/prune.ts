import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { diskBytes } from '../store/bound-data.ts';
import { findRunIds } from '../store/index-data.ts';
import { applyPrune, planPrune, type PruneRun } from '../store/prune.ts';
import { readRunRecord } from '../store/run-record.ts';
import { writeStoreIndex } from '../store/write-index.ts';
import { intFlag, numberFlag, parse } from './args.ts';
import { CliError, EXIT } from './exit-codes.ts';

export const PRUNE_USAGE = `rift prune --keep N | --keep-days D [--store DIR] [--include-failing] [--dry-run]

  Removes old runs from the store, per run name (store/<name>/), then regenerates store/index.html.
  --keep N              keep the newest N runs of each name
  --keep-days D         keep the runs started within the last D days (both given: a run either keeps is kept)
  --include-failing     remove runs that did not pass too; by default every run that failed, was unknown,
                        crashed or was interrupted is kept, as evidence
  --dry-run             say what would be removed, remove nothing
  --store DIR           the store (default ./store)
  --help                this text
  A run whose run.json still says running is never removed. Suite folders (store/suites/) are kept: they are
  small and hold the trends. Passing runs already delete their data/ and cut large logs when they end
  (rift run --keep-data keeps them).`;

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

export async function pruneCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    keep: { type: 'string' }, 'keep-days': { type: 'string' }, store: { type: 'string' },
    'include-failing': { type: 'boolean' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean' },
  }, false);
  if (values.help) {
    console.log(PRUNE_USAGE);
    return EXIT.valid;
  }
  if (values.keep === undefined && values['keep-days'] === undefined) throw new CliError(`give --keep N or --keep-days D (or both)\n\n${PRUNE_USAGE}`, EXIT.usage);
  const keep = values.keep === undefined ? undefined : intFlag('keep', values.keep, 0, 0);
  const keepDays = values['keep-days'] === undefined ? undefined : numberFlag('keep-days', values['keep-days'], 0, 0);
  const store = resolve(values.store ?? 'store');
  if (!existsSync(store) || !statSync(store).isDirectory()) throw new CliError(`--store ${values.store ?? 'store'}: no such directory`, EXIT.usage);
  const runs: PruneRun[] = [];
  for (const id of findRunIds(store)) {
    const dir = join(store, ...id.split('/'));
    try {
      const r = readRunRecord(dir, id);
      runs.push({ id, dir, name: id.split('/')[0], ...(r.startedAt ? { startedAt: r.startedAt } : {}), verdict: r.verdict });
    } catch (e) {
      console.error(`rift: kept ${dir}: its run.json does not parse (${(e as Error).message})`);
    }
  }
  const decisions = planPrune(runs, { keep, keepDays, includeFailing: values['include-failing'] === true });
  const dry = values['dry-run'] === true;
  let freed = 0;
  for (const d of decisions.filter((x) => x.remove)) {
    const bytes = diskBytes(d.run.dir);
    freed += bytes;
    console.log(`${dry ? 'would remove' : 'removed'} ${d.run.id} (${d.run.verdict}, ${mb(bytes)}): ${d.why}`);
  }
  if (!dry) applyPrune(store, decisions);
  const kept = decisions.filter((d) => !d.remove);
  const keptFailing = kept.filter((d) => d.run.verdict !== 'pass').length;
  const removed = decisions.length - kept.length;
  console.log(`${dry ? 'would remove' : 'removed'} ${removed} run${removed === 1 ? '' : 's'} (${mb(freed)}); kept ${kept.length}${keptFailing ? ` (${keptFailing} not passing)` : ''}`);
  if (!dry) console.log(`index: ${writeStoreIndex(store).paths.html}`);
  return EXIT.valid;
}
