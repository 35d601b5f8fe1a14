import type { IndexedOp, Op } from './op.ts';

/**
 * What the nemesis half of a history means: which ops are faults and which undo them, what a fault was aimed
 * at, when each fault was in force (its window), and which faults really took effect. Checkers, reports and
 * the runner all read faults through these functions, so a window or a coverage count means the same
 * everywhere.
 */

const UNDOES: Readonly<Record<string, readonly string[]>> = {
  heal: ['partition'],
  restart: ['kill'],
  start: ['kill', 'stop'],
  resume: ['pause'],
  // The failover nemesis heals through the one network heal, so any partition in force ends with it.
  'heal-failover': ['failover', 'partition'],
};
const HEAL_ALL = new Set(['heal-all', 'heal-everything', 'reset-all']);

/** The fault kinds an op named `f` undoes, `['*']` for everything, or `[]` if the op is itself a fault. */
export function undoneKinds(f: string, value: unknown = null): readonly string[] {
  if (HEAL_ALL.has(f) || (f === 'heal' && (value === 'all' || value === 'everything'))) return ['*'];
  if (Object.hasOwn(UNDOES, f)) return UNDOES[f];
  const m = /^(?:clear|stop|end|heal|undo)-(.+)$/.exec(f);
  return m ? [m[1]] : [];
}

/** What a nemesis op was aimed at, in words a report can show; undefined when it names no one target. */
export function faultTarget(f: string, value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  switch (f) {
    case 'partition':
      if (typeof v.shape === 'string') return `${v.shape}${typeof v.mode === 'string' ? ` ${v.mode}` : ''}`;
      break;
    case 'latency':
      if (typeof v.preset === 'string') return v.preset;
      break;
    case 'bandwidth':
      if (typeof v.rateKBps === 'number') return `${v.rateKBps} KB/s`;
      break;
    case 'failover':
      if (typeof v.to === 'string') return v.to;
      break;
    case 'clock-skew':
      if (typeof v.offsets === 'object' && v.offsets !== null) return Object.keys(v.offsets).sort().join(',');
      break;
    case 'clock-tie':
      if (Array.isArray(v.regions)) return v.regions.join('=');
      break;
  }
  for (const k of ['region', 'node', 'target']) if (typeof v[k] === 'string') return v[k] as string;
  if (Array.isArray(v.groups)) return v.groups.map((g) => (Array.isArray(g) ? g.join(',') : String(g))).join(' | ');
  return undefined;
}

/**
 * How a nemesis op ended. `took-effect`: the nemesis confirmed it (`meta.tookEffect: true`). `failed`: it said it
 * did not, reported an error, or never completed. `unconfirmed`: it completed without saying (histories from other
 * tools); such a fault is drawn as a window but not counted as coverage.
 */
export type FaultOutcomeKind = 'took-effect' | 'failed' | 'unconfirmed';

export function faultOutcome(info: Op | undefined): { kind: FaultOutcomeKind; why?: string } {
  if (!info) return { kind: 'failed', why: 'no completion recorded (the run ended first)' };
  if (info.meta?.tookEffect === true) return { kind: 'took-effect' };
  if (info.meta?.tookEffect === false) return { kind: 'failed', why: info.error ?? (typeof info.value === 'string' ? info.value : 'did not take effect') };
  if (info.error !== undefined) return { kind: 'failed', why: info.error };
  if (info.type === 'fail') return { kind: 'failed', why: 'failed' };
  return { kind: 'unconfirmed' };
}

/** A fault in force: from the completion of the fault op to the completion of the op that undid it. */
export interface FaultWindow {
  kind: string;
  target?: string;
  /** What the nemesis said it did (the info's value). */
  value: unknown;
  /** When the nemesis asked for the fault (ns). */
  askedAt: number;
  /** When it took effect (ns): the window starts here. */
  start: number;
  /** When the undoing op took effect (ns); absent if the fault was still in force when the history ended. */
  end?: number;
  /** Line of the fault's invoke, of the info saying it took effect, and of the undoing op's info. */
  startLine: number;
  effectLine: number;
  endLine?: number;
  /** The `f` that closed it, e.g. `heal`. */
  closedBy?: string;
}

export interface FailedFault {
  f: string;
  target?: string;
  line: number;
  time: number;
  why: string;
}

export interface FaultTimeline {
  windows: FaultWindow[];
  failed: FailedFault[];
}

/** Each nemesis invoke with its completion (undefined when the run ended first), in history order. */
export function nemesisOps<T extends Op>(history: readonly T[], visit: (invoke: T, info: T | undefined) => void): void {
  let pending: T | undefined;
  for (const op of history) {
    if (op.process !== 'nemesis') continue;
    if (op.type === 'invoke') {
      if (pending) visit(pending, undefined);
      pending = op;
    } else if (pending) {
      visit(pending, op);
      pending = undefined;
    }
  }
  if (pending) visit(pending, undefined);
}

/**
 * Whether an undo (the kinds it undoes, see `undoneKinds`, and its target) ends a fault in force: one aimed at a
 * target ends only that target's faults (restart us-east ends the kill of us-east); an untargeted one, and any heal
 * of a partition, ends every fault of the kinds it undoes.
 */
export function undoEnds(kinds: readonly string[], target: string | undefined, fault: { kind: string; target?: string }): boolean {
  if (kinds[0] === '*') return true;
  if (!kinds.includes(fault.kind)) return false;
  return target === undefined || fault.target === undefined || fault.kind === 'partition' || fault.target === target;
}

/**
 * Fault windows and failed faults of a history. A fault that failed opens no window (shading it would claim the
 * system was under a fault it never saw), and an undo that failed closes none. An undo aimed at one target closes
 * only that target's windows (restart us-east ends the kill of us-east); an untargeted one, and any heal of a
 * partition, closes every window of the kinds it undoes.
 */
export function faultTimeline(history: readonly IndexedOp[]): FaultTimeline {
  const windows: FaultWindow[] = [];
  const failed: FailedFault[] = [];
  const open: FaultWindow[] = [];
  nemesisOps(history, (invoke, info) => {
    const target = faultTarget(invoke.f, invoke.value);
    const outcome = faultOutcome(info);
    if (outcome.kind === 'failed' || !info) {
      failed.push({ f: invoke.f, ...(target !== undefined ? { target } : {}), line: invoke.line, time: invoke.time, why: outcome.why ?? 'unknown' });
      return;
    }
    const kinds = undoneKinds(invoke.f, invoke.value);
    if (kinds.length === 0) {
      const w: FaultWindow = {
        kind: invoke.f, ...(target !== undefined ? { target } : {}), value: info.value,
        askedAt: invoke.time, start: info.time, startLine: invoke.line, effectLine: info.line,
      };
      windows.push(w);
      open.push(w);
      return;
    }
    for (let i = open.length - 1; i >= 0; i--) {
      const w = open[i];
      if (!undoEnds(kinds, target, w)) continue;
      w.end = info.time;
      w.endLine = info.line;
      w.closedBy = invoke.f;
      open.splice(i, 1);
    }
  });
  return { windows, failed };
}

/** `partition-<name>` asks for partitions of one shape only: the name a run spec uses → the shape the history records. */
export const PARTITION_ALIASES: Readonly<Record<string, string>> = {
  'partition-isolate': 'isolate',
  'partition-halves': 'halves',
  'partition-bridge': 'bridge',
  'partition-ring': 'majorities-ring',
  'partition-asymmetric': 'asymmetric',
  'partition-client': 'client-side',
};

/**
 * The coverage rows a requested fault name accounts for: its kind's rows, for a shape alias that shape's partitions,
 * and for a failpoint path (`failpoint-paxos`, `failpoint-replication`) the failpoint rows, since a run that asked
 * for a path arms only that path's points.
 */
export function rowsForRequest<R extends { kind: string; target?: string }>(name: string, rows: readonly R[]): R[] {
  const shape = Object.hasOwn(PARTITION_ALIASES, name) ? PARTITION_ALIASES[name] : undefined;
  if (name.startsWith('failpoint-')) return rows.filter((r) => r.kind === 'failpoint');
  if (name.startsWith('latency-')) return rows.filter((r) => r.kind === 'latency');
  if (shape === undefined) return rows.filter((r) => r.kind === name);
  return rows.filter((r) => r.kind === 'partition' && r.target?.split(' ')[0] === shape);
}

/** Coverage of one fault kind and target: asked for, confirmed to have taken effect, and failed or unconfirmed. */
export interface CoverageRow {
  kind: string;
  target?: string;
  asked: number;
  tookEffect: number;
  failed: number;
}

/** Fault coverage of a run, from its history alone; a run whose faults all failed exercised nothing. */
export function faultCoverage(history: readonly Op[]): CoverageRow[] {
  const rows = new Map<string, CoverageRow>();
  nemesisOps(history, (invoke, info) => {
    const target = faultTarget(invoke.f, invoke.value);
    const key = `${invoke.f}\u0000${target ?? ''}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { kind: invoke.f, ...(target === undefined ? {} : { target }), asked: 0, tookEffect: 0, failed: 0 }));
    row.asked++;
    if (faultOutcome(info).kind === 'took-effect') row.tookEffect++;
    else row.failed++;
  });
  return [...rows.values()].sort((a, b) => a.kind.localeCompare(b.kind) || (a.target ?? '').localeCompare(b.target ?? ''));
}
