/**
 * Rift as a library: `import { run, check, suite, defineConfig } from 'rift'`. README "Suites and the library API".
 */
export { run, check, suite, type RunOptions, type CheckOptions, type SuiteRunOptions, type TargetDefinition, type WorkloadDefinition } from './harness/api.ts';
export { defineConfig, type RiftConfig, type ProjectConfig, type SuiteConfig, type Gates, type Seeds } from './harness/suite/config.ts';
export { defineExternal, type ExternalTargetConfig } from './harness/targets/external/config.ts';
export type { SuiteOutcome } from './harness/suite/run-suite.ts';
export type { SuiteSummary, SuiteRunSummary } from './harness/suite/summary.ts';
export type { GateVerdict } from './harness/suite/gates.ts';
export type { RunOutcome } from './harness/runner.ts';
export type { Target } from './harness/core/target.ts';
export type { Client, Completion } from './harness/core/client.ts';
export type { Workload, WorkloadOptions } from './harness/core/workload.ts';
export { linearizableChecker } from './checkers/linearizable/index.ts';
export type { Checker, CheckResult, CheckOptions as CheckerOptions, Results, Validity } from './harness/core/checker.ts';
export type { Generator, GenContext, GenResult, OpTemplate } from './harness/core/generator.ts';
export type { Op, IndexedOp } from './harness/core/op.ts';
export type { RunDir } from './harness/store/run-dir.ts';
