/**
 * run.json as the reports read it. Every field is optional: a report must render for a run that crashed half-way,
 * or for a history someone checked offline with no run.json at all. `runMeta` keeps the fields whose types are
 * right and ignores the rest, so an odd run.json degrades the header instead of breaking the page.
 */
export interface FaultCoverage {
  asked: number;
  tookEffect: number;
  failed: number;
}

export interface RunMeta {
  name?: string;
  target?: string;
  workload?: string;
  nemesis?: readonly string[];
  seed?: number | string;
  regions?: readonly string[];
  /** ISO 8601. */
  startedAt?: string;
  durationMs?: number;
  options?: Record<string, unknown>;
  /** Coverage per fault kind: `{kind: counts}`, `{kind: {target: counts}}` or a list of `{kind, target?, ...counts}`. */
  faults?: unknown;
  command?: string;
  exitCode?: number;
  /** Every other field of run.json (the runner writes its options at the top level), shown as they are. */
  extra?: Record<string, unknown>;
}

const KNOWN = new Set(['name', 'target', 'workload', 'nemesis', 'seed', 'regions', 'startedAt', 'durationMs', 'options', 'faults', 'command', 'exitCode']);

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const strs = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : typeof v === 'string' ? [v] : undefined;

export function runMeta(raw: unknown): RunMeta {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const o = raw as Record<string, unknown>;
  const options = typeof o.options === 'object' && o.options !== null && !Array.isArray(o.options) ? (o.options as Record<string, unknown>) : undefined;
  return {
    name: str(o.name),
    target: str(o.target) ?? str((o.target as Record<string, unknown> | undefined)?.kind),
    workload: str(o.workload) ?? str((o.workload as Record<string, unknown> | undefined)?.name),
    nemesis: strs(o.nemesis) ?? (Array.isArray(o.faults) && o.faults.every((x) => typeof x === 'string') ? (o.faults as string[]) : undefined),
    seed: typeof o.seed === 'number' || typeof o.seed === 'string' ? o.seed : undefined,
    regions: strs(o.regions),
    startedAt: str(o.startedAt),
    durationMs: num(o.durationMs),
    options,
    faults: Array.isArray(o.faults) && o.faults.every((x) => typeof x === 'string') ? undefined : o.faults,
    command: str(o.command),
    exitCode: num(o.exitCode),
    // Only what run.json itself would hold: an in-memory spec may carry undefined options.
    extra: Object.fromEntries(Object.entries(o).filter(([k, v]) => !KNOWN.has(k) && v !== undefined)),
  };
}

export interface CoverageRow extends FaultCoverage {
  kind: string;
  target?: string;
}

const counts = (v: unknown): FaultCoverage | undefined => {
  const o = v as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null) return undefined;
  const asked = num(o.asked);
  const tookEffect = num(o.tookEffect);
  const failed = num(o.failed);
  if (asked === undefined && tookEffect === undefined && failed === undefined) return undefined;
  return { asked: asked ?? 0, tookEffect: tookEffect ?? 0, failed: failed ?? 0 };
};

/** Flattens the coverage shapes run.json may carry into rows; undefined when there is nothing recognisable. */
export function coverageRows(faults: unknown): CoverageRow[] | undefined {
  if (Array.isArray(faults)) {
    const rows = faults.flatMap((x): CoverageRow[] => {
      const c = counts(x);
      const o = x as Record<string, unknown>;
      const kind = str(o?.kind) ?? str(o?.f);
      return c && kind ? [{ kind, target: str(o.target), ...c }] : [];
    });
    return rows.length ? rows : undefined;
  }
  if (typeof faults !== 'object' || faults === null) return undefined;
  const rows: CoverageRow[] = [];
  for (const [kind, v] of Object.entries(faults)) {
    const c = counts(v);
    if (c) rows.push({ kind, ...c });
    else if (typeof v === 'object' && v !== null)
      for (const [target, w] of Object.entries(v)) {
        const d = counts(w);
        if (d) rows.push({ kind, target, ...d });
      }
  }
  return rows.length ? rows : undefined;
}
