/**
 * Test support: what a key should read after quiescence, computed from the list of accepted writes
 * alone (independently of the resolver's data structures), and whether it should be flagged.
 */
import { vcCompare, vcDominates } from '../../../layer/clock/vclock.ts';
import { compareVersions } from '../../../layer/clock/version.ts';
import type { LocalOp, Strategy } from '../../../layer/resolver/index.ts';
import { canonicalJson } from '../../../layer/resolver/canonical-json.ts';
import type { Write } from './sim.ts';

export interface Expected {
  value: unknown;
  siblings?: unknown[];
  conflict: boolean;
}

const putValue = (op: LocalOp) => (op.op === 'put' ? op.value : null);
const byVersion = (a: Write, b: Write) => compareVersions(a.version, b.version);
const key = (v: unknown) => canonicalJson(v);

/** The writes no other write has seen, by vector clock, sorted by version. */
export function maximal(writes: Write[]): Write[] {
  return writes.filter((w) => !writes.some((o) => vcCompare(o.vclock, w.vclock) === 'after')).sort(byVersion);
}

export function expected(strategy: Strategy, writes: Write[]): Expected {
  switch (strategy) {
    case 'lww':
    case 'lww-register':
    case 'reject': {
      const sorted = [...writes].sort(byVersion);
      const w = strategy === 'reject' ? sorted[0] : sorted[sorted.length - 1];
      return {
        value: w.op.op === 'delete' ? null : putValue(w.op),
        conflict: writes.some((o) => !vcDominates(w.vclock, o.vclock)),
      };
    }
    case 'pn-counter':
      return { value: writes.reduce((s, w) => s + (w.op.op === 'incr' ? w.op.delta : 0), 0), conflict: false };
    case 'or-set': {
      // add-wins: an element is present iff some add of it was seen by no remove of it
      const present = new Map<string, unknown>();
      for (const a of writes) {
        if (a.op.op !== 'add') continue;
        const e = a.op.element;
        const removed = writes.some((r) => r.op.op === 'remove' && key(r.op.element) === key(e) && vcDominates(r.vclock, a.vclock));
        if (!removed) present.set(key(e), JSON.parse(key(e)));
      }
      return { value: [...present].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e), conflict: false };
    }
    case 'mv-register':
    case 'siblings': {
      const max = maximal(writes);
      const live = max.filter((w) => w.op.op === 'put').map((w) => putValue(w.op));
      const conflict = max.length > 1;
      if (live.length === 0) return { value: null, conflict };
      if (strategy === 'mv-register') return { value: live, conflict };
      return live.length === 1 ? { value: live[0], conflict } : { value: live[live.length - 1], siblings: live, conflict };
    }
    case 'map': {
      const fields = new Map<string, { strategy: Strategy; writes: Write[] }>();
      for (const w of writes) {
        if (w.op.op !== 'map-update') continue;
        const f = fields.get(w.op.field) ?? { strategy: w.op.innerStrategy, writes: [] };
        if (f.strategy !== w.op.innerStrategy) throw new Error('oracle: one type per field name in these tests');
        f.writes.push({ ...w, op: w.op.inner });
        fields.set(w.op.field, f);
      }
      const value: Record<string, unknown> = {};
      let conflict = false;
      for (const [name, f] of [...fields].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const e = expected(f.strategy, f.writes);
        conflict ||= e.conflict;
        if (e.value !== null) value[name] = e.value;
      }
      return { value, conflict };
    }
  }
}
