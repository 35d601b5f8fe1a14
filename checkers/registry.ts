import type { Checker } from '../harness/core/checker.ts';
import { withoutProbes } from './compose.ts';
import { MODEL_NAMES } from './linearizable/models/names.ts';
import type { AvailabilityOptions } from './availability.ts';
import type { CausalOptions } from './causal.ts';
import type { ConvergenceOptions } from './convergence.ts';
import type { CounterOptions } from './counter.ts';
import type { ElleOptions } from './elle/index.ts';
import type { LinearizableOptions } from './linearizable/index.ts';
import type { SessionOptions } from './session-guarantees.ts';
import type { SetOptions } from './set.ts';
import type { OrSetOptions } from './or-set.ts';
import type { MvRegisterOptions } from './mv-register.ts';
import type { RegisterVersionsOptions } from './register-versions.ts';
import type { WriteOnceOptions } from './write-once.ts';
import type { DegradedMarkersOptions } from './degraded-markers.ts';
import type { StaleReadsOptions } from './stale-reads.ts';

/** Builds a checker from its options object; unknown fields are ignored. */
export type CheckerFactory = (opts: Record<string, unknown>) => Checker;

export interface CheckerEntry {
  readonly description: string;
  /**
   * Imports the checker's module, on first use only: `rift check` of one history must not pay for loading every
   * checker (a module costs Node's loader a fraction of a millisecond, and there are dozens).
   */
  load(): Promise<CheckerFactory>;
}

const entries: Record<string, CheckerEntry> = {
  linearizable: {
    description: `linearizability per key (WGL search); option model: ${MODEL_NAMES.join(' | ')} (default cas-register)`,
    load: async () => {
      const { linearizableChecker } = await import('./linearizable/index.ts');
      return (o) => withoutProbes(linearizableChecker({ model: 'cas-register', ...(o as Partial<LinearizableOptions>) }));
    },
  },
  'elle-list-append': {
    description: 'Elle list-append transactional anomalies; options consistencyModels, anomalies',
    load: async () => {
      const { listAppendChecker } = await import('./elle/index.ts');
      return (o) => withoutProbes(listAppendChecker(o as ElleOptions));
    },
  },
  'elle-rw-register': {
    description: 'Elle rw-register transactional anomalies; options consistencyModels, anomalies, assume (linearizable-keys, sequential-keys)',
    load: async () => {
      const { rwRegisterChecker } = await import('./elle/index.ts');
      return (o) => withoutProbes(rwRegisterChecker(o as ElleOptions));
    },
  },
  convergence: {
    description: 'final reads agree across regions on an admissible state; convergence time after each fault from probes',
    load: async () => {
      const { convergenceChecker } = await import('./convergence.ts');
      return (o) => convergenceChecker(o as ConvergenceOptions);
    },
  },
  counter: {
    description: 'PN-counter: final values among the admissible subset sums, reads within bounds',
    load: async () => {
      const { counterChecker } = await import('./counter.ts');
      return (o) => counterChecker(o as CounterOptions);
    },
  },
  set: {
    description: 'add-only set: lost, unexpected, recovered, duplicated elements; replication lag per region',
    load: async () => {
      const { setChecker } = await import('./set.ts');
      return (o) => setChecker(o as SetOptions);
    },
  },
  'or-set': {
    description: 'add-wins observed-remove set from meta.orset dots: lost, resurrected, unexpected elements; option readsSeeLocalWrites',
    load: async () => {
      const { orSetChecker } = await import('./or-set.ts');
      return (o) => withoutProbes(orSetChecker(o as OrSetOptions));
    },
  },
  'mv-register': {
    description: 'multi-value register from meta.vclock: final reads show exactly the writes no other write saw; option readsSeeLocalWrites',
    load: async () => {
      const { mvRegisterChecker } = await import('./mv-register.ts');
      return (o) => withoutProbes(mvRegisterChecker(o as MvRegisterOptions));
    },
  },
  map: {
    description: 'map of CRDTs: each field judged by its type\'s checker (pn-counter fields by counter, or-set fields written by adds by set)',
    load: async () => {
      const { mapChecker } = await import('./map.ts');
      return () => withoutProbes(mapChecker());
    },
  },
  siblings: {
    description: 'siblings (one value plus the concurrent writes): the sibling lists judged as a multi-value register, and each read presents the latest sibling; option readsSeeLocalWrites',
    load: async () => {
      const { siblingsChecker } = await import('./siblings.ts');
      return (o) => withoutProbes(siblingsChecker(o as MvRegisterOptions));
    },
  },
  'degraded-markers': {
    description: 'degraded mode: writes a region acknowledged while the recorded faults left it cut off from a majority carry meta.conflictMarker; options regions, graceMs, healMarginMs',
    load: async () => {
      const { degradedMarkersChecker } = await import('./degraded-markers.ts');
      return (o) => degradedMarkersChecker(o as DegradedMarkersOptions);
    },
  },
  'write-once': {
    description: 'write-once keys: a region refuses a key it holds, the earliest acknowledged write is kept everywhere, conflicts are flagged',
    load: async () => {
      const { writeOnceChecker } = await import('./write-once.ts');
      return (o) => withoutProbes(writeOnceChecker(o as WriteOnceOptions));
    },
  },
  'register-versions': {
    description: 'last-writer-wins registers: every read shows the write of the version (meta.version) it reports',
    load: async () => {
      const { registerVersionsChecker } = await import('./register-versions.ts');
      return (o) => withoutProbes(registerVersionsChecker(o as RegisterVersionsOptions));
    },
  },
  'session-guarantees': {
    description: 'read-your-writes, monotonic reads, monotonic writes, writes-follow-reads per session',
    load: async () => {
      const { sessionGuaranteesChecker } = await import('./session-guarantees.ts');
      return (o) => sessionGuaranteesChecker(o as SessionOptions);
    },
  },
  causal: {
    description: 'causal consistency from write dots and response vector clocks',
    load: async () => {
      const { causalChecker } = await import('./causal.ts');
      return (o) => causalChecker(o as CausalOptions);
    },
  },
  'stale-reads': {
    description: 'how often register reads were stale, and by how many versions and ms (a measurement); option maxMsBehind makes it a bound',
    load: async () => {
      const { staleReadsChecker } = await import('./stale-reads.ts');
      return (o) => staleReadsChecker(o as StaleReadsOptions);
    },
  },
  stats: {
    description: 'counts, latency quantiles and throughput (figures only)',
    load: async () => {
      const { statsChecker } = await import('./stats.ts');
      return () => statsChecker();
    },
  },
  availability: {
    description: 'fraction of ok operations per region inside and outside fault windows',
    load: async () => {
      const { availabilityChecker } = await import('./availability.ts');
      return (o) => availabilityChecker(o as AvailabilityOptions);
    },
  },
};

export const checkerNames = (): string[] => Object.keys(entries);

export const isCheckerName = (name: string): boolean => Object.hasOwn(entries, name);

/** The checker registered under `name`, its module loaded; an unknown name is an error that lists the known ones. */
export async function createChecker(name: string, opts: Record<string, unknown> = {}): Promise<Checker> {
  if (!isCheckerName(name)) throw new Error(`unknown checker "${name}"; known checkers: ${checkerNames().join(', ')}`);
  return (await entries[name].load())(opts);
}
