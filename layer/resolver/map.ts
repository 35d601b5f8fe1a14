/**
 * A map of CRDTs: each field holds an embedded CRDT and merges with that CRDT's own join. A field is
 * keyed by (name, strategy), so two regions that concurrently create the same field with different
 * types both keep their data; the read shows the entry whose strategy name sorts last and the state
 * is flagged as conflicted until that is resolved by hand.
 */
import { compareStrings } from './canonical-json.ts';
import { asArray, asRecord, asString, present } from './parse-helpers.ts';
import { isStrategy, rejected, wrongType, type Crdt, type Strategy } from './types.ts';

export interface MapState {
  /** [field, strategy, inner state], sorted by field then strategy. */
  fields: [field: string, strategy: Strategy, state: unknown][];
}

type Lookup = (s: Strategy) => Crdt<unknown>;

const fieldKey = (field: string, strategy: Strategy) => JSON.stringify([field, strategy]);

function build(m: Map<string, [string, Strategy, unknown]>): MapState {
  const fields = [...m.values()].sort(([fa, sa], [fb, sb]) => compareStrings(fa, fb) || compareStrings(sa, sb));
  return { fields };
}

const index = (s: MapState) => new Map(s.fields.map((f) => [fieldKey(f[0], f[1]), f]));

/**
 * The map-merge-replaces-field calibration bug: a field both sides hold takes the incoming side's state instead of
 * the join of the two, as if a map were merged field by field by last writer: what the receiving region did to that
 * field since the two diverged (increments, adds) is lost.
 */
export function mergeReplacingFields(a: MapState, b: MapState): MapState {
  const m = index(a);
  for (const [key, f] of index(b)) m.set(key, f);
  return build(m);
}

export function createMap(crdtFor: Lookup): Crdt<MapState> {
  return {
    strategy: 'map',
    apply(state, op, ctx) {
      if (op.op !== 'map-update') return wrongType('map', op);
      if (typeof op.field !== 'string') return rejected(`map-update field must be a string, got ${JSON.stringify(op.field)}`);
      if (!isStrategy(op.innerStrategy)) return rejected(`map-update innerStrategy: unknown strategy ${JSON.stringify(op.innerStrategy)}`);
      const s = state ?? { fields: [] };
      const other = s.fields.find(([f, st]) => f === op.field && st !== op.innerStrategy);
      if (other) {
        return { ok: false, error: 'wrong-type', message: `map field ${JSON.stringify(op.field)} holds a ${other[1]}, not a ${op.innerStrategy}` };
      }
      const m = index(s);
      const key = fieldKey(op.field, op.innerStrategy);
      const r = crdtFor(op.innerStrategy).apply(m.get(key)?.[2], op.inner, ctx);
      if (!r.ok) return { ...r, message: `map field ${JSON.stringify(op.field)}: ${r.message}` };
      m.set(key, [op.field, op.innerStrategy, r.state]);
      return { ok: true, state: build(m) };
    },
    merge(a, b) {
      const m = index(a);
      for (const [key, [field, strategy, state]] of index(b)) {
        const mine = m.get(key);
        m.set(key, [field, strategy, mine ? crdtFor(strategy).merge(mine[2], state) : state]);
      }
      return build(m);
    },
    read(s) {
      const shown = new Map<string, unknown>();
      // fields are sorted by strategy within a name, so the last entry per name is the one shown
      for (const [field, strategy, state] of s.fields) shown.set(field, crdtFor(strategy).read(state).value);
      return { value: Object.fromEntries([...shown].filter(([, v]) => v !== null)) };
    },
    conflicted(s) {
      const names = new Set<string>();
      for (const [field, strategy, state] of s.fields) {
        if (names.has(field) || crdtFor(strategy).conflicted(state)) return true;
        names.add(field);
      }
      return false;
    },
    parse(x, where) {
      const r = asRecord(x, where);
      const m = new Map<string, [string, Strategy, unknown]>();
      asArray(present(r, 'fields', where), `${where}.fields`).forEach((raw, i) => {
        const at = `${where}.fields[${i}]`;
        const f = asArray(raw, at);
        if (f.length !== 3) throw new TypeError(`${at}: expected [field, strategy, state]`);
        const field = asString(f[0], `${at}[0]`);
        const strategy = f[1];
        if (!isStrategy(strategy)) throw new TypeError(`${at}[1]: unknown strategy ${JSON.stringify(strategy)}`);
        const key = fieldKey(field, strategy);
        if (m.has(key)) throw new TypeError(`${at}: field ${JSON.stringify(field)} (${strategy}) appears twice`);
        m.set(key, [field, strategy, crdtFor(strategy).parse(f[2], `${at}[2]`)]);
      });
      return build(m);
    },
  };
}
