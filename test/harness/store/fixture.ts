import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Results } from '../../../harness/core/checker.ts';
import { resultsJson } from '../../../reports/json.ts';

export interface FixtureRun {
  name: string;
  /** Folder timestamp, e.g. 2026-01-02T030405Z. */
  ts: string;
  seed: number;
  /** 0 pass, 1 fail, 2 unknown; or a status that never finished. */
  exitCode?: number;
  status?: 'checked' | 'running' | 'interrupted' | 'failed';
  faults?: string[];
  /** Convergence times of the fault windows, ms. */
  convergenceMs?: number[];
  latencyP99Ms?: number;
  availability?: { inside: number; outside: number };
  achievedRate?: number;
  report?: boolean;
}

const iso = (ts: string): string => ts.replace(/^(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1T$2:$3:$4.000Z');

/** A run folder as the runner leaves it (run.json, results.json, report.html), without running anything. */
export function makeRun(store: string, r: FixtureRun): string {
  const dir = join(store, r.name, r.ts);
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const exitCode = r.exitCode ?? 0;
  const status = r.status ?? 'checked';
  const valid = exitCode === 0 ? true : exitCode === 1 ? false : 'unknown';
  const faults = r.faults ?? ['kill'];
  writeFileSync(join(dir, 'run.json'), JSON.stringify({
    name: r.name, target: 'local', workload: 'set', regions: ['us-east', 'eu-west'], timeLimitS: 10, concurrency: 4, rate: 50, seed: r.seed,
    bugs: [], nemesisIntervalS: 4, settleS: 3, opTimeoutMs: 2000, checkBudgetS: 60, storeDir: store, startedAt: iso(r.ts), status,
    ...(status === 'checked' ? {
      nemesis: faults, faults: faults.map((kind) => ({ kind, asked: 2, tookEffect: 2, failed: 0 })), durationMs: 12_345,
      load: { askedRate: 50, achievedRate: r.achievedRate ?? 48.5, concurrency: 4 }, valid, exitCode,
    } : { faults }),
  }, null, 2));
  if (status === 'checked') {
    const results: Results = {
      valid,
      checkers: {
        set: { valid, reason: valid === true ? 'none lost' : valid === false ? '2 lost' : 'budget ran out' },
        convergence: { valid: true, reason: 'agree', windows: (r.convergenceMs ?? [100, 300]).map((upperMs) => ({ status: 'converged', upperMs })), keys: 2 },
        stats: { valid: true, reason: 'ops', total: { ok: 90, fail: 5, info: 5 }, latencyMs: { add: { count: 50, p50: 5, p95: 9, p99: r.latencyP99Ms ?? 12, max: 20 }, read: { count: 40, p50: 4, p95: 6, p99: 8, max: 9 } } },
        availability: { valid: true, reason: 'measured', overall: { inside: { fraction: r.availability?.inside ?? 0.8, ok: 8, total: 10 }, outside: { fraction: r.availability?.outside ?? 0.99, ok: 99, total: 100 } } },
      },
      contract: { target: 'local', valid, lines: [{ property: 'acknowledged adds kept', checker: 'set', scope: 'set/*', kept: valid }] },
      measurements: ['convergence', 'stats', 'availability'],
    };
    writeFileSync(join(dir, 'results.json'), resultsJson(results));
  }
  if (r.report ?? status === 'checked') writeFileSync(join(dir, 'report.html'), `<!doctype html><title>report ${r.name} ${r.ts}</title><h1 id="verdict">${r.name} ${r.ts}</h1>`);
  return dir;
}
