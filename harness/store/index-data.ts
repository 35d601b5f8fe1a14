/**
 * What the store holds, as data (store/index.json, and what index.html draws): every run below
 * `<store>/<name>/<timestamp>/` and every suite result below `<store>/suites/<suite>/<timestamp>/`. A run's record
 * is read again only when its run.json, results.json or report.html changed since the last index, so regenerating
 * the index after each run stays cheap in a store of thousands.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { RunFigures } from './figures.ts';
import { readRunRecord, recordStamp, type RunRecord } from './run-record.ts';

export interface IndexRun extends Omit<RunRecord, 'dir' | 'hasReport'> {
  /** The report's address relative to the store (and so to index.html). */
  report?: string;
  /** recordStamp when read; the record is reused while it holds. */
  stamp: string;
}

export interface IndexSuiteRun {
  project: string;
  seed: number;
  status: string;
  /** The run's id in `runs`, when it is in this store. */
  run?: string;
  report?: string;
  startedAt?: string;
  figures?: RunFigures;
}

export interface IndexSuite {
  /** `suites/<suite>/<timestamp>`. */
  id: string;
  suite: string;
  startedAt: string;
  durationMs?: number;
  status: string;
  exitCode?: number;
  shard?: string;
  /** The suite page, relative to the store. */
  page?: string;
  runs: IndexSuiteRun[];
}

export interface StoreIndex {
  generatedAt: string;
  /** Newest first. */
  runs: IndexRun[];
  /** Newest first. */
  suites: IndexSuite[];
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const toId = (path: string): string => path.split(sep).join('/');

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  } catch {
    return [];
  }
}

/** Every run folder of the store (`<name>/<timestamp>` holding a run.json), as ids. */
export function findRunIds(store: string): string[] {
  return subdirs(store).flatMap((name) => subdirs(join(store, name)).filter((ts) => existsSync(join(store, name, ts, 'run.json'))).map((ts) => `${name}/${ts}`));
}

/** A path as a link from the store's root, when it is inside the store. */
export function storeHref(store: string, path: string): string | undefined {
  const rel = relative(store, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? undefined : toId(rel);
}

function indexRun(store: string, id: string, previous: ReadonlyMap<string, IndexRun>, warn: (line: string) => void): IndexRun | undefined {
  const dir = join(store, ...id.split('/'));
  const stamp = recordStamp(dir);
  const old = previous.get(id);
  if (old && old.stamp === stamp) return old;
  try {
    const { dir: _dir, hasReport, ...record } = readRunRecord(dir, id);
    return { ...record, ...(hasReport ? { report: `${id}/report.html` } : {}), stamp };
  } catch (e) {
    warn(`rift: store index: skipped ${dir}: ${(e as Error).message}`);
    return undefined;
  }
}

function suiteRun(store: string, raw: unknown, runs: ReadonlyMap<string, IndexRun>): IndexSuiteRun | undefined {
  const r = obj(raw);
  if (!r || typeof r.project !== 'string') return undefined;
  const dir = str(r.dir);
  const id = dir ? storeHref(store, dir) : undefined;
  const indexed = id ? runs.get(id) : undefined;
  const reportPath = str(r.report);
  const report = indexed?.report ?? (reportPath && existsSync(reportPath) ? toId(relative(store, reportPath)) : undefined);
  const figures = obj(r.figures) as RunFigures | undefined;
  return {
    project: r.project,
    seed: typeof r.seed === 'number' ? r.seed : Number(r.seed),
    status: str(r.status) ?? 'unknown',
    ...(indexed ? { run: indexed.id } : {}),
    ...(report ? { report } : {}),
    ...(indexed?.startedAt ? { startedAt: indexed.startedAt } : {}),
    // The summary keeps a run's figures, so a trend outlives `rift prune`; older summaries did not.
    ...(figures ?? indexed?.figures ? { figures: figures ?? indexed!.figures } : {}),
  };
}

function indexSuites(store: string, runs: ReadonlyMap<string, IndexRun>, warn: (line: string) => void): IndexSuite[] {
  const root = join(store, 'suites');
  const out: IndexSuite[] = [];
  for (const suite of subdirs(root)) {
    for (const ts of subdirs(join(root, suite))) {
      const file = join(root, suite, ts, 'summary.json');
      if (!existsSync(file)) continue;
      let s: Obj | undefined;
      try {
        s = obj(JSON.parse(readFileSync(file, 'utf8')));
      } catch (e) {
        warn(`rift: store index: skipped ${file}: ${(e as Error).message}`);
        continue;
      }
      if (!s || !Array.isArray(s.runs)) continue;
      const shard = obj(s.shard);
      out.push({
        id: `suites/${suite}/${ts}`,
        suite: str(s.suite) ?? suite,
        startedAt: str(s.startedAt) ?? ts,
        ...(typeof s.durationMs === 'number' ? { durationMs: s.durationMs } : {}),
        status: str(s.status) ?? 'unknown',
        ...(typeof s.exitCode === 'number' ? { exitCode: s.exitCode } : {}),
        ...(shard ? { shard: `${shard.index}/${shard.count}` } : {}),
        ...(existsSync(join(root, suite, ts, 'index.html')) ? { page: `suites/${suite}/${ts}/index.html` } : {}),
        runs: s.runs.map((r) => suiteRun(store, r, runs)).filter((r): r is IndexSuiteRun => r !== undefined),
      });
    }
  }
  return out.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

const newestFirst = (a: IndexRun, b: IndexRun): number => (b.startedAt ?? '').localeCompare(a.startedAt ?? '') || b.id.localeCompare(a.id);

/** Reads the store; records in `previous` (the last index.json) whose files did not change are reused as they are. */
export function scanStore(store: string, previous?: StoreIndex, warn: (line: string) => void = () => undefined, now = new Date()): StoreIndex {
  const before = new Map((previous?.runs ?? []).map((r) => [r.id, r]));
  const runs = findRunIds(store).map((id) => indexRun(store, id, before, warn)).filter((r): r is IndexRun => r !== undefined).sort(newestFirst);
  const byId = new Map(runs.map((r) => [r.id, r]));
  return { generatedAt: now.toISOString(), runs, suites: indexSuites(store, byId, warn) };
}
