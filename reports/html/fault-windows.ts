/**
 * Fault windows from the nemesis invoke/info pairs of a history (HISTORY.md pairing rules).
 *
 * A window opens when a fault (`partition`, `kill`, `pause`, `latency`, …) took effect — the time of its `info` —
 * and closes at the `info` of the operation that undoes it (`heal`, `restart`, `resume`, `clear-latency`, …).
 * Faults whose `info` says they did not take effect (`meta.tookEffect: false`, or an `error`) open no window:
 * shading them would claim the system was under a fault it never saw. They are returned apart, for the coverage table.
 */
import type { IndexedOp } from '../../harness/core/op.ts';
import { brief } from './format.ts';

export interface FaultWindow {
  kind: string;
  /** The region/node the fault was aimed at, when the nemesis op names one. */
  target?: string;
  label: string;
  /** When the nemesis asked for the fault (ns). */
  askedAt: number;
  /** When it took effect (ns); the window starts here. */
  start: number;
  /** When the undoing op took effect (ns); absent if the fault was still in force when the history ends. */
  end?: number;
  /** Line of the fault's invoke, and of the info saying it took effect (checkers name windows by either). */
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

const UNDOES: Readonly<Record<string, readonly string[]>> = {
  heal: ['partition'],
  restart: ['kill'],
  start: ['kill', 'stop'],
  resume: ['pause'],
};
const HEAL_ALL = new Set(['heal-all', 'heal-everything', 'reset-all']);

/** The fault kinds an op undoes, `['*']` for everything, or `[]` if the op is itself a fault. */
export function undoneKinds(f: string, value: unknown): readonly string[] {
  if (HEAL_ALL.has(f) || (f === 'heal' && (value === 'all' || value === 'everything'))) return ['*'];
  if (UNDOES[f]) return UNDOES[f];
  const m = /^(?:clear|stop|end|heal|undo)-(.+)$/.exec(f);
  return m ? [m[1]] : [];
}

/** A string naming what the op was aimed at: a region as the value, or a `region`/`node`/`target` field. */
export function faultTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    for (const k of ['region', 'node', 'target']) if (typeof o[k] === 'string') return o[k] as string;
    if (Array.isArray(o.groups)) return o.groups.map((g) => (Array.isArray(g) ? g.join(',') : String(g))).join(' | ');
  }
  return undefined;
}

function failure(info: IndexedOp | undefined): string | undefined {
  if (!info) return 'no completion recorded (the run ended first)';
  if (info.error !== undefined) return info.error;
  if (info.meta?.tookEffect === false) return typeof info.value === 'string' ? info.value : 'did not take effect';
  if (info.type === 'fail') return 'failed';
  return undefined;
}

export function faultWindows(history: readonly IndexedOp[]): FaultTimeline {
  const windows: FaultWindow[] = [];
  const failed: FailedFault[] = [];
  const open: FaultWindow[] = [];
  let pending: IndexedOp | undefined;

  const settle = (invoke: IndexedOp, info: IndexedOp | undefined): void => {
    const target = faultTarget(invoke.value);
    const why = failure(info);
    if (why !== undefined || !info) {
      failed.push({ f: invoke.f, target, line: invoke.line, time: invoke.time, why: why ?? 'unknown' });
      return;
    }
    const kinds = undoneKinds(invoke.f, invoke.value);
    if (kinds.length === 0) {
      const w: FaultWindow = {
        kind: invoke.f,
        target,
        label: typeof info.value === 'string' && info.value !== '' ? info.value : `${invoke.f}${target ? ` ${target}` : invoke.value == null ? '' : ` ${brief(invoke.value, 40)}`}`,
        askedAt: invoke.time,
        start: info.time,
        startLine: invoke.line,
        effectLine: info.line,
      };
      windows.push(w);
      open.push(w);
      return;
    }
    // An undo aimed at one target closes only that target's windows; an untargeted one closes every window it undoes.
    const closeTarget = kinds[0] === '*' ? undefined : target;
    for (let i = open.length - 1; i >= 0; i--) {
      const w = open[i];
      if (kinds[0] !== '*' && !kinds.includes(w.kind)) continue;
      if (closeTarget !== undefined && w.target !== undefined && w.kind !== 'partition' && w.target !== closeTarget) continue;
      w.end = info.time;
      w.endLine = info.line;
      w.closedBy = invoke.f;
      open.splice(i, 1);
    }
  };

  for (const op of history) {
    if (op.process !== 'nemesis') continue;
    if (op.type === 'invoke') {
      if (pending) settle(pending, undefined);
      pending = op;
    } else if (pending) {
      settle(pending, op);
      pending = undefined;
    }
  }
  if (pending) settle(pending, undefined);
  return { windows, failed };
}

/** Per fault kind: how often it was asked for, took effect, and failed — the fallback when run.json has no coverage. */
export function coverageFromHistory(t: FaultTimeline): Record<string, { asked: number; tookEffect: number; failed: number }> {
  const out: Record<string, { asked: number; tookEffect: number; failed: number }> = {};
  const row = (k: string) => (out[k] ??= { asked: 0, tookEffect: 0, failed: 0 });
  for (const w of t.windows) {
    row(w.kind).asked++;
    row(w.kind).tookEffect++;
  }
  for (const f of t.failed) {
    row(f.f).asked++;
    row(f.f).failed++;
  }
  return out;
}
