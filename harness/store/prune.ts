/**
 * Which runs `rift prune` removes, and removing them. Retention is per run name (store/<name>/): `keep` keeps the
 * newest N, `keepDays` keeps those started within D days; given both, a run either keeps is kept. Only passing runs
 * are removed unless `includeFailing`: a failing run is evidence. A run whose run.json still says running is never
 * removed (it may be in progress). Suite folders are left alone: they are small, and hold the trends.
 */
import { readlinkSync, readdirSync, rmdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Verdict } from './run-record.ts';

export interface PruneRun {
  id: string;
  dir: string;
  name: string;
  startedAt?: string;
  verdict: Verdict;
}

export interface PruneOptions {
  keep?: number;
  keepDays?: number;
  includeFailing?: boolean;
  now?: Date;
}

export interface PruneDecision {
  run: PruneRun;
  remove: boolean;
  why: string;
}

/** When the run started: run.json's startedAt, else its folder's timestamp (2026-12-07T032626Z). */
export function startOf(run: PruneRun): number | undefined {
  const t = run.startedAt ? Date.parse(run.startedAt) : NaN;
  if (Number.isFinite(t)) return t;
  const m = /(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(run.id.split('/').pop() ?? '');
  const f = m ? Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`) : NaN;
  return Number.isFinite(f) ? f : undefined;
}

export function planPrune(runs: readonly PruneRun[], opts: PruneOptions): PruneDecision[] {
  if (opts.keep === undefined && opts.keepDays === undefined) throw new Error('planPrune: give keep or keepDays');
  const now = (opts.now ?? new Date()).getTime();
  const decisions = new Map<string, PruneDecision>();
  const candidates = new Map<string, PruneRun[]>();
  for (const run of runs) {
    if (run.verdict === 'running') decisions.set(run.id, { run, remove: false, why: 'its run.json says running (in progress, or its harness was killed: rift clean)' });
    else if (run.verdict !== 'pass' && !opts.includeFailing) decisions.set(run.id, { run, remove: false, why: `${run.verdict}: kept as evidence (--include-failing removes it too)` });
    else {
      const list = candidates.get(run.name) ?? [];
      list.push(run);
      candidates.set(run.name, list);
    }
  }
  for (const list of candidates.values()) {
    list.sort((a, b) => (startOf(b) ?? 0) - (startOf(a) ?? 0) || b.id.localeCompare(a.id));
    list.forEach((run, i) => {
      const reasons: string[] = [];
      if (opts.keep !== undefined && i < opts.keep) reasons.push(`one of the newest ${opts.keep} of ${run.name}`);
      const start = startOf(run);
      if (opts.keepDays !== undefined && (start === undefined || now - start < opts.keepDays * 86_400_000)) {
        reasons.push(start === undefined ? 'its start time is unknown' : `started within ${opts.keepDays} days`);
      }
      decisions.set(run.id, reasons.length
        ? { run, remove: false, why: reasons.join('; ') }
        : { run, remove: true, why: [opts.keep !== undefined ? `older than the newest ${opts.keep}` : '', opts.keepDays !== undefined ? `started over ${opts.keepDays} days ago` : ''].filter(Boolean).join(' and ') });
    });
  }
  return runs.map((r) => decisions.get(r.id)!);
}

/** Removes the runs, then the name folders left empty, and points store/latest at the newest run left. */
export function applyPrune(store: string, decisions: readonly PruneDecision[]): void {
  for (const d of decisions) if (d.remove) rmSync(d.run.dir, { recursive: true, force: true });
  for (const name of new Set(decisions.filter((d) => d.remove).map((d) => d.run.name))) {
    const folder = join(store, name);
    try {
      if (readdirSync(folder).length === 0) rmdirSync(folder);
    } catch {
      // already gone, or not ours to remove
    }
  }
  const latest = join(store, 'latest');
  let target: string | undefined;
  try {
    target = readlinkSync(latest);
  } catch {
    return; // no latest link to keep true
  }
  const gone = decisions.some((d) => d.remove && relative(store, d.run.dir) === target);
  if (!gone) return;
  rmSync(latest, { force: true });
  const left = decisions.filter((d) => !d.remove).sort((a, b) => (startOf(b.run) ?? 0) - (startOf(a.run) ?? 0));
  if (left.length) symlinkSync(relative(store, left[0].run.dir), latest);
}
