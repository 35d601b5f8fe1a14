import fc from 'fast-check';
import type { IndexedOp, Op } from '../../../harness/core/op.ts';
import { indexOps } from '../../../harness/history/reader.ts';

/**
 * Histories linearizable by construction (CHECKERS.md §5.1): clients invoke, each op takes effect on a
 * sequential store at a chosen instant between its invoke and its completion, and the completion reports what
 * the store returned. Some ops crash (`info`) before or after taking effect, and a crashed op that had not taken
 * effect may still do so later or never; some ops fail without effect; a crashed process is replaced by a new id.
 * All choices come from a shrinkable list of numbers, so fast-check can minimise a failing case.
 */
export type Kind = 'register' | 'cas-register' | 'kv' | 'set';

export interface GenParams {
  kind: Kind;
  processes: number;
  ops: number;
  keys: number;
  values: number;
  /** Per mille chance of an info / fail completion. */
  infoRate: number;
  failRate: number;
  choices: number[];
}

interface Pending {
  slot: number;
  process: number;
  f: string;
  key: string;
  value: unknown;
  applied: boolean;
  result?: unknown;
}

function applyOp(kind: Kind, store: Map<string, unknown>, op: { f: string; key: string; value: unknown }): unknown {
  const cur = store.get(op.key);
  switch (op.f) {
    case 'read':
      return kind === 'set' ? [...((cur as Set<number> | undefined) ?? [])].sort() : (cur ?? null);
    case 'write':
      store.set(op.key, op.value);
      return op.value;
    case 'cas': {
      const [expected, next] = op.value as [unknown, unknown];
      if ((cur ?? null) !== expected) return false;
      store.set(op.key, next);
      return true;
    }
    case 'get':
      return cur ?? '';
    case 'put':
      store.set(op.key, op.value);
      return op.value;
    case 'append':
      store.set(op.key, ((cur as string | undefined) ?? '') + (op.value as string));
      return op.value;
    case 'add':
    case 'remove': {
      const set = new Set((cur as Set<number> | undefined) ?? []);
      if (op.f === 'add') set.add(op.value as number);
      else set.delete(op.value as number);
      store.set(op.key, set);
      return op.value;
    }
    case 'contains':
      return ((cur as Set<number> | undefined) ?? new Set()).has(op.value as number);
    default:
      throw new Error(`generator has no op ${op.f}`);
  }
}

const FS: Record<Kind, string[]> = {
  register: ['read', 'write', 'write'],
  'cas-register': ['read', 'write', 'cas', 'cas'],
  kv: ['get', 'put', 'append', 'append'],
  set: ['add', 'add', 'remove', 'read', 'contains'],
};

export function simulate(p: GenParams): IndexedOp[] {
  let c = 0;
  const pick = (n: number): number => (n <= 1 ? 0 : p.choices[c++ % p.choices.length] % n);
  const chance = (perMille: number): boolean => pick(1000) < perMille;
  const store = new Map<string, unknown>();
  const events: Op[] = [];
  const slots: (Pending | undefined)[] = new Array(p.processes).fill(undefined);
  const pids = Array.from({ length: p.processes }, (_, i) => i);
  let nextPid = p.processes;
  const zombies: Pending[] = [];
  let invoked = 0;
  const emit = (type: Op['type'], op: Pending, value: unknown): void => {
    events.push({ type, process: op.process, f: op.f, key: op.key, value, time: events.length * 10 });
  };
  const argFor = (f: string): unknown => {
    const v = pick(p.values);
    switch (f) {
      case 'read':
      case 'get':
        return null;
      case 'cas':
        return [pick(3) === 0 ? null : v, pick(p.values)];
      case 'put':
      case 'append':
        return 'abcdefgh'[v % 8];
      default:
        return v;
    }
  };
  for (let guard = 0; guard < 100_000; guard++) {
    const busy = slots.flatMap((s) => (s ? [s] : []));
    if (invoked >= p.ops && busy.length === 0) break;
    const action = pick(4 + (zombies.length > 0 ? 1 : 0));
    const free = slots.findIndex((s) => !s);
    if (action === 0 && free >= 0 && invoked < p.ops) {
      const f = FS[p.kind][pick(FS[p.kind].length)];
      const op: Pending = { slot: free, process: pids[free], f, key: `k${pick(p.keys)}`, value: argFor(f), applied: false };
      slots[free] = op;
      invoked++;
      emit('invoke', op, op.value);
    } else if (action === 4) {
      const z = zombies.splice(pick(zombies.length), 1)[0];
      applyOp(p.kind, store, z);
    } else if (busy.length > 0) {
      const op = busy[pick(busy.length)];
      if (!op.applied && (action === 1 || action === 2)) {
        op.result = applyOp(p.kind, store, op);
        op.applied = true;
      } else if (action !== 0 || free < 0 || invoked >= p.ops) {
        slots[op.slot] = undefined;
        if (chance(p.infoRate)) {
          emit('info', op, null);
          pids[op.slot] = nextPid++;
          if (!op.applied && chance(500)) zombies.push(op);
        } else if (!op.applied && chance(p.failRate)) {
          emit('fail', op, null);
        } else {
          if (!op.applied) op.result = applyOp(p.kind, store, op);
          emit('ok', op, op.result);
        }
      }
    }
  }
  return indexOps(events);
}

export const genParams = (kinds: readonly Kind[], maxOps = 24, maxProcesses = 5): fc.Arbitrary<GenParams> =>
  fc.record({
    kind: fc.constantFrom(...kinds),
    processes: fc.integer({ min: 1, max: maxProcesses }),
    ops: fc.integer({ min: 1, max: maxOps }),
    keys: fc.integer({ min: 1, max: 3 }),
    values: fc.integer({ min: 1, max: 4 }),
    infoRate: fc.integer({ min: 0, max: 300 }),
    failRate: fc.integer({ min: 0, max: 300 }),
    choices: fc.array(fc.nat({ max: 1 << 20 }), { minLength: 8, maxLength: 300 }),
  });

/** A history generated to be linearizable, with some ok read outputs replaced (it may or may not stay linearizable). */
export function corrupt(history: readonly IndexedOp[], picks: readonly number[]): IndexedOp[] {
  const out = history.map((op) => ({ ...op }));
  const reads = out.flatMap((op, i) => (op.type === 'ok' && ['read', 'get', 'contains'].includes(op.f) ? [i] : []));
  if (reads.length === 0 || picks.length === 0) return out;
  for (let j = 0; j < Math.min(picks.length, 2); j++) {
    const i = reads[picks[j] % reads.length];
    const op = out[i];
    const v = picks[j] % 4;
    op.value = op.f === 'get' ? 'abcd'[v] : op.f === 'contains' ? !op.value : typeof op.value === 'object' && Array.isArray(op.value) ? [v] : v;
  }
  return out;
}
