import type { Checker } from '../harness/core/checker.ts';
import { availabilityChecker, type AvailabilityOptions } from './availability.ts';
import { causalChecker, type CausalOptions } from './causal.ts';
import { convergenceChecker, type ConvergenceOptions } from './convergence.ts';
import { counterChecker, type CounterOptions } from './counter.ts';
import { listAppendChecker, rwRegisterChecker, type ElleOptions } from './elle/index.ts';
import { linearizableChecker, MODEL_NAMES, type LinearizableOptions } from './linearizable/index.ts';
import { sessionGuaranteesChecker, type SessionOptions } from './session-guarantees.ts';
import { setChecker, type SetOptions } from './set.ts';
import { orSetChecker, type OrSetOptions } from './or-set.ts';
import { mvRegisterChecker, type MvRegisterOptions } from './mv-register.ts';
import { registerVersionsChecker, type RegisterVersionsOptions } from './register-versions.ts';
import { statsChecker } from './stats.ts';
import { staleReadsChecker, type StaleReadsOptions } from './stale-reads.ts';
import { withoutProbes } from './compose.ts';

export interface CheckerEntry {
  readonly description: string;
  /** Options are the named checker's own options object (see its module); unknown fields are ignored. */
  create(opts?: Record<string, unknown>): Checker;
}

const entries: Record<string, CheckerEntry> = {
  linearizable: {
    description: `linearizability per key (WGL search); option model: ${MODEL_NAMES.join(' | ')} (default cas-register)`,
    create: (o = {}) => withoutProbes(linearizableChecker({ model: 'cas-register', ...(o as Partial<LinearizableOptions>) })),
  },
  'elle-list-append': {
    description: 'Elle list-append transactional anomalies; options consistencyModels, anomalies',
    create: (o = {}) => withoutProbes(listAppendChecker(o as ElleOptions)),
  },
  'elle-rw-register': {
    description: 'Elle rw-register transactional anomalies; options consistencyModels, anomalies, assume (linearizable-keys, sequential-keys)',
    create: (o = {}) => withoutProbes(rwRegisterChecker(o as ElleOptions)),
  },
  convergence: {
    description: 'final reads agree across regions on an admissible state; convergence time after each fault from probes',
    create: (o = {}) => convergenceChecker(o as ConvergenceOptions),
  },
  counter: {
    description: 'PN-counter: final values among the admissible subset sums, reads within bounds',
    create: (o = {}) => counterChecker(o as CounterOptions),
  },
  set: {
    description: 'add-only set: lost, unexpected, recovered, duplicated elements; replication lag per region',
    create: (o = {}) => setChecker(o as SetOptions),
  },
  'or-set': {
    description: 'add-wins observed-remove set from meta.orset dots: lost, resurrected, unexpected elements; option readsSeeLocalWrites',
    create: (o = {}) => withoutProbes(orSetChecker(o as OrSetOptions)),
  },
  'mv-register': {
    description: 'multi-value register from meta.vclock: final reads show exactly the writes no other write saw; option readsSeeLocalWrites',
    create: (o = {}) => withoutProbes(mvRegisterChecker(o as MvRegisterOptions)),
  },
  'register-versions': {
    description: 'last-writer-wins registers: every read shows the write of the version (meta.version) it reports',
    create: (o = {}) => withoutProbes(registerVersionsChecker(o as RegisterVersionsOptions)),
  },
  'session-guarantees': {
    description: 'read-your-writes, monotonic reads, monotonic writes, writes-follow-reads per session',
    create: (o = {}) => sessionGuaranteesChecker(o as SessionOptions),
  },
  causal: {
    description: 'causal consistency from write dots and response vector clocks',
    create: (o = {}) => causalChecker(o as CausalOptions),
  },
  'stale-reads': {
    description: 'how often register reads were stale, and by how many versions and ms (a measurement); option maxMsBehind makes it a bound',
    create: (o = {}) => staleReadsChecker(o as StaleReadsOptions),
  },
  stats: {
    description: 'counts, latency quantiles and throughput (figures only)',
    create: () => statsChecker(),
  },
  availability: {
    description: 'fraction of ok operations per region inside and outside fault windows',
    create: (o = {}) => availabilityChecker(o as AvailabilityOptions),
  },
};

export const CHECKERS: Readonly<Record<string, CheckerEntry>> = entries;

export const checkerNames = (): string[] => Object.keys(entries);

/** The checker registered under `name`; an unknown name is an error that lists the known ones. */
export function createChecker(name: string, opts?: Record<string, unknown>): Checker {
  const e = Object.hasOwn(entries, name) ? entries[name] : undefined;
  if (!e) throw new Error(`unknown checker "${name}"; known checkers: ${checkerNames().join(', ')}`);
  return e.create(opts);
}
