import type { Generator } from '../harness/core/generator.ts';
import type { Op } from '../harness/core/op.ts';
import type { Workload, WorkloadOptions } from '../harness/core/workload.ts';
import { mix, phases } from '../harness/generator/compose.ts';
import { scoped } from '../checkers/scoped.ts';

/** One workload inside a composite: which one, on which keys, and its share of the operations. */
export interface Part {
  /** `meta.part` of its operations; unique within the composite. */
  readonly part: string;
  /** The registered workload it runs (its current builder, whatever that builder does today). */
  readonly workload: string;
  /** Key namespace; absent: the workload's own default keys. */
  readonly keyPrefix?: string;
  readonly weight: number;
  /** The part's own key count and read ratio, where its workload's defaults would not make it race enough. */
  readonly keyCount?: number;
  readonly readRatio?: number;
}

/** Tags every operation a generator proposes with `meta.part`, so each part's checkers judge only its own. */
export function tagged(g: Generator, part: string): Generator {
  return {
    op(ctx) {
      const r = g.op(ctx);
      if (r === undefined) return undefined;
      if ('pending' in r) return { ...r, next: tagged(r.next, part) };
      return { op: { ...r.op, meta: { ...r.op.meta, part } }, next: tagged(r.next, part) };
    },
    ...(g.update ? { update: (ctx, ev: Op) => tagged(g.update!(ctx, ev), part) } : {}),
  };
}

/**
 * Several workloads at once over disjoint keys: operations mixed by weight, final reads one part after another, and
 * each part's checkers scoped to the part (results named `checker [keys]`), so a contract can hold each tier to
 * its own promises in one run. A checker named in `shared` (a property of the whole system rather than of one part's
 * keys) runs once over every part that has it, so it sees all of their operations together.
 */
export function compositeWorkload(
  name: string,
  parts: readonly Part[],
  registry: Readonly<Record<string, (o: WorkloadOptions) => Workload>>,
  opts: WorkloadOptions,
  shared: ReadonlySet<string> = new Set(),
): Workload {
  const built = parts.map((p) => {
    const make = registry[p.workload];
    if (!make) throw new Error(`composite workload ${name}: part ${p.part} names unknown workload "${p.workload}"`);
    const { keyPrefix: _ignored, ...rest } = opts;
    // What the user asked for (--keys, --read-ratio) wins over a part's own tuning.
    return {
      p,
      w: make({
        ...rest,
        ...(p.keyPrefix !== undefined ? { keyPrefix: p.keyPrefix } : {}),
        keyCount: opts.keyCount ?? p.keyCount,
        readRatio: opts.readRatio ?? p.readRatio,
      }),
    };
  });
  const label = (p: Part) => (p.keyPrefix !== undefined ? `${p.keyPrefix}*` : `${p.workload} keys`);
  return {
    name,
    fs: new Set(built.flatMap(({ w }) => [...w.fs])),
    generator: mix(built.map(({ p, w }) => ({ weight: p.weight, gen: tagged(w.generator, p.part) }))),
    finalGenerator: phases(...built.flatMap(({ p, w }) => (w.finalGenerator ? [tagged(w.finalGenerator, p.part)] : []))),
    checkers: [
      ...built.flatMap(({ p, w }) => w.checkers.filter((c) => !shared.has(c.name)).map((c) => scoped(c, p.part, label(p), p.keyPrefix))),
      ...[...shared].flatMap((checker) => {
        const having = built.filter(({ w }) => w.checkers.some((c) => c.name === checker));
        if (having.length === 0) return [];
        const one = having[0].w.checkers.find((c) => c.name === checker)!;
        return [scoped(one, having.map(({ p }) => p.part), having.map(({ p }) => label(p)).join(', '))];
      }),
    ],
  };
}
