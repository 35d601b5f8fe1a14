/**
 * Rift's own suites (`npx rift suite nightly`, `npx rift suite certify`); README "Suites and the library API".
 * certify: the default run (every tier under every fault, `rift run` with no options) at fixed seeds, and focused
 * calibration runs, with strict gates; its exit code is the release decision. nightly: a broad matrix of targets,
 * workloads and faults at fresh seeds.
 */
import { defineConfig } from 'rift';

// Floors set for this loaded 2-core machine: it reaches 15-50 ops/s of the 60-200 asked, and 87-100% ok outside fault windows.
const CERTIFY_RUN = { time: { limitS: 12, settleS: 2 }, seeds: [3], gates: { availabilityOutside: 0.7, minRate: 5 } } as const;

export default defineConfig({
  store: 'store',
  projects: [
    // certify: the default run (tiers workload, chaos faults every 2 s for 60 s, duelling proposers) at two seeds, and
    // focused calibration runs (harness/calibrate/table.ts), each also a check of the correct layer.
    { name: 'default', seeds: [1, 3] },
    { name: 'set-one-region', ...CERTIFY_RUN, workload: 'set', faults: [], regions: ['us-east'], load: { concurrency: 10, rate: 200, keyPrefix: 'set/cal-' } },
    { name: 'set-kill', ...CERTIFY_RUN, workload: 'set', faults: ['kill'], time: { ...CERTIFY_RUN.time, nemesisIntervalS: 2 }, load: { rate: 150 }, gates: { ...CERTIFY_RUN.gates, convergenceP99S: 15 } },
    { name: 'register-clock-skew', ...CERTIFY_RUN, workload: 'register', faults: ['clock-skew'], regions: ['us-east'], time: { ...CERTIFY_RUN.time, nemesisIntervalS: 1.5 }, load: { rate: 100 } },
    { name: 'set-partition', ...CERTIFY_RUN, targetOptions: { batches: 'default' }, workload: 'set', faults: ['partition'], time: { ...CERTIFY_RUN.time, nemesisIntervalS: 2 }, load: { rate: 100, keys: 100 }, gates: { ...CERTIFY_RUN.gates, convergenceP99S: 15 } },
    { name: 'critical-partition', ...CERTIFY_RUN, targetOptions: { proposers: 'home' }, workload: 'register', faults: ['partition'], time: { ...CERTIFY_RUN.time, nemesisIntervalS: 2 }, load: { rate: 60, keyPrefix: 'critical/cal-' }, gates: { ...CERTIFY_RUN.gates, convergenceP99S: 15 } },
    // The calibration presets (harness/calibrate/table.ts) of the switches that need a coincidence the default run's mix
    // makes rare: duelling proposers in a bridge or ring, a read of a value only a minority accepted, a batch
    // overtaking its predecessor, a remove racing a concurrent add, a region cut off long enough to judge its degraded
    // mode, two regions writing one key in the same clock step.
    { name: 'critical-duel', ...CERTIFY_RUN, targetOptions: { proposers: 'any' }, workload: 'cas-register', faults: ['partition-bridge', 'partition-ring'], time: { limitS: 15, settleS: 2, nemesisIntervalS: 1, opTimeoutMs: 5000, checkBudgetS: 120 }, load: { concurrency: 16, rate: 200, keys: 4, keyPrefix: 'critical/cal-' } },
    { name: 'critical-register', ...CERTIFY_RUN, workload: 'cas-register', faults: ['partition', 'failpoint-paxos'], time: { limitS: 20, settleS: 2, nemesisIntervalS: 1, opTimeoutMs: 5000 }, load: { concurrency: 12, rate: 150, keys: 2, keyPrefix: 'critical/cal-', readRatio: 0.7 } },
    { name: 'set-replication', ...CERTIFY_RUN, targetOptions: { batches: 'small' }, workload: 'set', faults: ['partition', 'failpoint-replication'], time: { ...CERTIFY_RUN.time, nemesisIntervalS: 1.5 }, load: { concurrency: 12, rate: 200, keys: 500 }, gates: { ...CERTIFY_RUN.gates, convergenceP99S: 15 } },
    { name: 'or-set-partition', ...CERTIFY_RUN, workload: 'or-set', faults: ['partition'], time: { ...CERTIFY_RUN.time, nemesisIntervalS: 1 }, load: { concurrency: 12, rate: 200, keys: 1 } },
    { name: 'set-isolate', ...CERTIFY_RUN, workload: 'set', faults: ['partition-isolate'], time: { ...CERTIFY_RUN.time, nemesisIntervalS: 4 } },
    { name: 'lww-register-clock-tie', ...CERTIFY_RUN, workload: 'lww-register', faults: ['clock-tie'], regions: ['us-east', 'eu-west'], time: { ...CERTIFY_RUN.time, nemesisIntervalS: 1 }, load: { concurrency: 12, rate: 200, keys: 1 } },

    // nightly: every tier of the layer under each family of faults, and the other targets.
    { name: 'tiers-partition-kill', faults: ['partition', 'kill'], time: { limitS: 60 }, gates: { convergenceP99S: 20, availabilityOutside: 0.95 } },
    { name: 'tiers-wan', faults: ['latency', 'bandwidth'], time: { limitS: 60 }, gates: { convergenceP99S: 20, availabilityOutside: 0.95 } },
    { name: 'tiers-pause-skew', faults: ['pause', 'clock-skew'], time: { limitS: 60 }, gates: { convergenceP99S: 20 } },
    { name: 'tiers-client-partition', faults: ['partition-client', 'partition-asymmetric'], time: { limitS: 60 } },
    { name: 'etcd-list-append', target: 'etcd', workload: 'list-append', faults: ['partition', 'kill'], time: { limitS: 60 } },
    { name: 'etcd-register', target: 'etcd', workload: 'register', faults: ['partition-isolate', 'pause'], time: { limitS: 60 } },
    { name: 'redis-wait-all', target: 'redis-replication', targetOptions: { wait: 'all' }, workload: 'set', faults: ['partition', 'kill'], time: { limitS: 60 } },
  ],
  suites: {
    certify: {
      projects: ['default', 'set-one-region', 'set-kill', 'register-clock-skew', 'set-partition', 'critical-partition', 'critical-duel', 'critical-register', 'set-replication', 'or-set-partition', 'set-isolate', 'lww-register-clock-tie'],
      gates: { contract: true, faultCoverage: true },
    },
    nightly: {
      projects: ['tiers-partition-kill', 'tiers-wan', 'tiers-pause-skew', 'tiers-client-partition', 'etcd-list-append', 'etcd-register', 'redis-wait-all', 'set-kill', 'set-partition', 'critical-partition'],
      seeds: { random: 2 },
      budgetS: 45 * 60,
    },
  },
});
