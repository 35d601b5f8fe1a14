import type { Op } from '../core/op.ts';

/**
 * Fault coverage of a run, from its history alone: for each fault kind (`f`) and target (region, shape,
 * preset…), how many were asked for, how many took effect (`meta.tookEffect: true` on the info), and how
 * many failed (said false, or never completed because the run ended first). A run whose faults all
 * failed exercised nothing, and the report says so.
 */
export interface CoverageRow {
  kind: string;
  target?: string;
  asked: number;
  tookEffect: number;
  failed: number;
}

/** What a nemesis op was aimed at, in words a report can show; undefined for whole-system recoveries. */
export function faultTarget(f: string, value: unknown): string | undefined {
  const v = value as Record<string, unknown> | null;
  switch (f) {
    case 'partition':
      return v && typeof v.shape === 'string' ? `${v.shape}${typeof v.mode === 'string' ? ` ${v.mode}` : ''}` : undefined;
    case 'latency':
      return typeof v?.preset === 'string' ? v.preset : undefined;
    case 'bandwidth':
      return typeof v?.rateKBps === 'number' ? `${v.rateKBps} KB/s` : undefined;
    case 'failover':
      return typeof v?.to === 'string' ? v.to : undefined;
    case 'clock-skew':
      return v && typeof v.offsets === 'object' && v.offsets !== null ? Object.keys(v.offsets).sort().join(',') : undefined;
    default:
      return typeof value === 'string' ? value : undefined;
  }
}

export function faultCoverage(history: readonly Op[]): CoverageRow[] {
  const rows = new Map<string, CoverageRow>();
  let open: Op | undefined;
  const count = (invoke: Op, took: boolean) => {
    const target = faultTarget(invoke.f, invoke.value);
    const key = `${invoke.f}\u0000${target ?? ''}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { kind: invoke.f, ...(target === undefined ? {} : { target }), asked: 0, tookEffect: 0, failed: 0 }));
    row.asked++;
    if (took) row.tookEffect++;
    else row.failed++;
  };
  for (const op of history) {
    if (op.process !== 'nemesis') continue;
    if (op.type === 'invoke') {
      if (open) count(open, false);
      open = op;
    } else if (open) {
      count(open, op.meta?.tookEffect === true);
      open = undefined;
    }
  }
  if (open) count(open, false);
  return [...rows.values()].sort((a, b) => a.kind.localeCompare(b.kind) || (a.target ?? '').localeCompare(b.target ?? ''));
}
