import type { IndexedOp } from '../harness/core/op.ts';

export type Applied = Record<string, number>;

/**
 * What each region still lacks: per region, per origin region, how many of the origin's log entries it has not
 * applied. The origin's own mark is its log head (if it did not answer, the highest mark any region reports).
 * Regions with no digest are left to `unanswered`.
 */
export function lacking(regions: readonly string[], latest: ReadonlyMap<string, Applied | undefined>): Record<string, Record<string, number>> {
  const marks = regions.flatMap((r) => (latest.get(r) ? [latest.get(r)!] : []));
  const origins = new Set(marks.flatMap((m) => Object.keys(m)));
  const out: Record<string, Record<string, number>> = {};
  for (const o of origins) {
    const head = latest.get(o)?.[o] ?? Math.max(...marks.map((m) => m[o] ?? 0));
    for (const r of regions) {
      const m = latest.get(r);
      if (!m) continue;
      const behind = head - (m[o] ?? 0);
      if (behind > 0) (out[r] ??= {})[o] = behind;
    }
  }
  return out;
}

/** Every region answered and lacks nothing. */
export const caughtUp = (regions: readonly string[], latest: ReadonlyMap<string, Applied | undefined>): boolean =>
  regions.every((r) => latest.get(r) !== undefined) && Object.keys(lacking(regions, latest)).length === 0;

export interface CatchUpFinding {
  converged: boolean;
  timeoutMs: number;
  /** Entries not applied, per region and origin, at the last digest read. */
  lacking: Record<string, Record<string, number>>;
  /** Regions whose last catch-up digest read did not answer. */
  unanswered: string[];
}

/**
 * The outcome of the harness's catch-up phase (digest reads marked `meta.catchUp`), from the last answer of each
 * region; undefined when the history has none (a target without digests, or a history from elsewhere).
 */
export function catchUpFinding(history: readonly IndexedOp[], regions?: readonly string[]): CatchUpFinding | undefined {
  let timeoutMs: number | undefined;
  const latest = new Map<string, Applied | undefined>();
  for (const op of history) {
    const cu = op.meta?.catchUp as { timeoutMs?: number } | undefined;
    if (op.f !== 'digest' || !cu || op.type === 'invoke' || typeof op.region !== 'string') continue;
    timeoutMs = cu.timeoutMs ?? timeoutMs;
    const applied = (op.value as { applied?: Applied } | null)?.applied;
    latest.set(op.region, op.type === 'ok' && applied && typeof applied === 'object' ? applied : undefined);
  }
  if (timeoutMs === undefined) return undefined;
  const rs = regions ?? [...latest.keys()].sort();
  const unanswered = rs.filter((r) => latest.get(r) === undefined);
  const lack = lacking(rs, latest);
  return { converged: unanswered.length === 0 && Object.keys(lack).length === 0, timeoutMs, lacking: lack, unanswered };
}

/** "did not converge within 30 s: eu-west lacks 12 entries from us-east; ap-south did not answer". */
export function describeCatchUp(f: CatchUpFinding): string {
  const parts = Object.entries(f.lacking).map(([r, by]) => `${r} lacks ${Object.entries(by).map(([o, n]) => `${n} entr${n === 1 ? 'y' : 'ies'} from ${o}`).join(', ')}`);
  if (f.unanswered.length) parts.push(`${f.unanswered.join(', ')} did not answer`);
  return `did not converge within ${f.timeoutMs / 1000} s: ${parts.join('; ')}`;
}
