/**
 * Checks a loaded config field by field, before anything is deployed. Every error names the file and the field
 * (`projects[2].load.rate`) and exits 65: the config is the suite's input data.
 */
import { CliError, EXIT } from '../cli/exit-codes.ts';
import { parseRunSpec } from '../cli/run.ts';
import { resolveTargetOptions, targetEntry, targetNames } from '../targets/index.ts';
import type { Gates, ProjectConfig, RiftConfig, SuiteConfig } from './config.ts';
import { FLAG_OF_FIELD, projectArgs } from './plan.ts';

type Obj = Record<string, unknown>;

export class ConfigError extends CliError {
  constructor(file: string, field: string, problem: string) {
    super(`${file}: ${field}: ${problem}`, EXIT.dataError);
  }
}

const NAME = /^[a-z0-9][a-z0-9-]*$/;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v));

function fields(file: string, at: string, v: unknown, allowed: readonly string[]): Obj {
  if (!isObj(v)) throw new ConfigError(file, at, `must be an object (got ${show(v)})`);
  for (const k of Object.keys(v)) {
    if (!allowed.includes(k)) throw new ConfigError(file, `${at}.${k}`, `is not a field; the fields are ${allowed.join(', ')}`);
  }
  return v;
}

function optNumber(file: string, at: string, v: unknown, min: number, max = Infinity, integer = false): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new ConfigError(file, at, `must be ${integer ? 'an integer' : 'a number'} ${max === Infinity ? `>= ${min}` : `from ${min} to ${max}`} (got ${show(v)})`);
  }
}

function optString(file: string, at: string, v: unknown): void {
  if (v !== undefined && (typeof v !== 'string' || v === '')) throw new ConfigError(file, at, `must be a non-empty string (got ${show(v)})`);
}

function optStrings(file: string, at: string, v: unknown): void {
  if (v === undefined) return;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '')) throw new ConfigError(file, at, `must be a list of non-empty strings (got ${show(v)})`);
}

function optBool(file: string, at: string, v: unknown): void {
  if (v !== undefined && typeof v !== 'boolean') throw new ConfigError(file, at, `must be true or false (got ${show(v)})`);
}

function seeds(file: string, at: string, v: unknown): void {
  if (v === undefined) return;
  if (Array.isArray(v)) {
    if (v.length === 0) throw new ConfigError(file, at, 'must list at least one seed');
    v.forEach((s, i) => optNumber(file, `${at}[${i}]`, s, 0, 2 ** 31 - 1, true));
    return;
  }
  const o = fields(file, at, v, ['random']);
  if (o.random === undefined) throw new ConfigError(file, `${at}.random`, 'is required: how many fresh seeds');
  optNumber(file, `${at}.random`, o.random, 1, 1000, true);
}

function gates(file: string, at: string, v: unknown): void {
  if (v === undefined) return;
  const g = fields(file, at, v, ['contract', 'faultCoverage', 'convergenceP99S', 'availabilityOutside', 'minRate'] satisfies (keyof Gates)[]);
  optBool(file, `${at}.contract`, g.contract);
  optBool(file, `${at}.faultCoverage`, g.faultCoverage);
  optNumber(file, `${at}.convergenceP99S`, g.convergenceP99S, 0);
  optNumber(file, `${at}.availabilityOutside`, g.availabilityOutside, 0, 1);
  optNumber(file, `${at}.minRate`, g.minRate, 0);
}

function project(file: string, at: string, v: unknown): void {
  const p = fields(file, at, v, ['name', 'target', 'targetOptions', 'workload', 'faults', 'regions', 'time', 'load', 'seeds', 'gates'] satisfies (keyof ProjectConfig)[]);
  if (typeof p.name !== 'string' || !NAME.test(p.name)) throw new ConfigError(file, `${at}.name`, `must be lowercase letters, digits and dashes (got ${show(p.name)})`);
  optString(file, `${at}.target`, p.target);
  optString(file, `${at}.workload`, p.workload);
  optStrings(file, `${at}.faults`, p.faults);
  optStrings(file, `${at}.regions`, p.regions);
  if (p.targetOptions !== undefined) {
    const o = fields(file, `${at}.targetOptions`, p.targetOptions, Object.keys(p.targetOptions as Obj));
    for (const [k, x] of Object.entries(o)) optString(file, `${at}.targetOptions.${k}`, x);
  }
  if (p.time !== undefined) {
    const t = fields(file, `${at}.time`, p.time, ['limitS', 'settleS', 'nemesisIntervalS', 'maxFaultSteps', 'convergeTimeoutS', 'opTimeoutMs', 'checkBudgetS']);
    for (const k of Object.keys(t)) {
      if (k === 'opTimeoutMs') optNumber(file, `${at}.time.opTimeoutMs`, t[k], 10, Infinity, true);
      else if (k === 'maxFaultSteps') optNumber(file, `${at}.time.maxFaultSteps`, t[k], 1, 1000, true);
      else optNumber(file, `${at}.time.${k}`, t[k], k === 'limitS' || k === 'checkBudgetS' ? 1 : 0);
    }
  }
  if (p.load !== undefined) {
    const l = fields(file, `${at}.load`, p.load, ['concurrency', 'rate', 'keys', 'keyPrefix', 'readRatio', 'maxDown']);
    optNumber(file, `${at}.load.concurrency`, l.concurrency, 1, Infinity, true);
    optNumber(file, `${at}.load.rate`, l.rate, 0.1);
    optNumber(file, `${at}.load.keys`, l.keys, 1, Infinity, true);
    optString(file, `${at}.load.keyPrefix`, l.keyPrefix);
    optNumber(file, `${at}.load.readRatio`, l.readRatio, 0, 1);
    if (l.maxDown !== 'minority') optNumber(file, `${at}.load.maxDown`, l.maxDown, 1, Infinity, true);
  }
  seeds(file, `${at}.seeds`, p.seeds);
  gates(file, `${at}.gates`, p.gates);
  runnable(file, at, p as unknown as ProjectConfig);
}

/** What only `rift run` knows: target and workload names, target options, fault names, regions, ranges. */
function runnable(file: string, at: string, p: ProjectConfig): void {
  const target = p.target ?? 'local';
  if (!targetNames().includes(target)) throw new ConfigError(file, `${at}.target`, `"${target}" is not a target; one of ${targetNames().join(', ')}`);
  const entry = targetEntry(target);
  if (p.workload !== undefined && !entry.workloads.includes(p.workload)) {
    throw new ConfigError(file, `${at}.workload`, `target "${target}" does not run "${p.workload}"; it runs ${entry.workloads.join(', ')}`);
  }
  try {
    resolveTargetOptions(entry, p.targetOptions ?? {});
  } catch (e) {
    throw new ConfigError(file, `${at}.targetOptions`, (e as Error).message);
  }
  try {
    parseRunSpec(projectArgs(p, 0));
  } catch (e) {
    const msg = (e as Error).message;
    const field = FLAG_OF_FIELD.find(([, flag]) => msg.includes(`--${flag}`))?.[0];
    throw new ConfigError(file, field ? `${at}.${field}` : at, msg);
  }
}

function suite(file: string, at: string, v: unknown, projects: ReadonlySet<string>): void {
  const s = fields(file, at, v, ['projects', 'seeds', 'gates', 'budgetS'] satisfies (keyof SuiteConfig)[]);
  if (!Array.isArray(s.projects) || s.projects.length === 0) throw new ConfigError(file, `${at}.projects`, `must list at least one project (got ${show(s.projects)})`);
  s.projects.forEach((name, i) => {
    if (typeof name !== 'string' || !projects.has(name)) throw new ConfigError(file, `${at}.projects[${i}]`, `${show(name)} is not a project; the projects are ${[...projects].join(', ')}`);
  });
  if (new Set(s.projects).size !== s.projects.length) throw new ConfigError(file, `${at}.projects`, 'names a project twice');
  seeds(file, `${at}.seeds`, s.seeds);
  gates(file, `${at}.gates`, s.gates);
  optNumber(file, `${at}.budgetS`, s.budgetS, 1);
}

export function validateConfig(raw: unknown, file: string): RiftConfig {
  const c = fields(file, 'config', raw, ['store', 'projects', 'suites']);
  optString(file, 'store', c.store);
  if (!Array.isArray(c.projects) || c.projects.length === 0) throw new ConfigError(file, 'projects', `must list at least one project (got ${show(c.projects)})`);
  const names = new Set<string>();
  c.projects.forEach((p, i) => {
    project(file, `projects[${i}]`, p);
    const name = (p as ProjectConfig).name;
    if (names.has(name)) throw new ConfigError(file, `projects[${i}].name`, `"${name}" names another project too`);
    names.add(name);
  });
  const suites = fields(file, 'suites', c.suites, Object.keys(isObj(c.suites) ? c.suites : {}));
  if (Object.keys(suites).length === 0) throw new ConfigError(file, 'suites', 'must define at least one suite');
  for (const [name, s] of Object.entries(suites)) {
    if (!NAME.test(name)) throw new ConfigError(file, `suites.${name}`, 'a suite name is lowercase letters, digits and dashes');
    suite(file, `suites.${name}`, s, names);
  }
  return c as unknown as RiftConfig;
}
