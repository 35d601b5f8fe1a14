/**
 * The Porcupine corpus checked as a user runs it: whole processes, start-up and parsing included. Rift is
 * `bin/rift.mjs check` (the compiled build) on the corpus written as Rift JSONL histories; Porcupine is the Go
 * program of test/differential/porcupine built here, reading the same histories as JSON. Both in one call per
 * model (the etcd logs are cas-registers, the kv files kv maps) and in one call per file, Rift's and Porcupine's
 * calls alternating. Wall times are taken around each child process from spawn to exit; CPU times are the
 * children's user + system time the kernel adds to this process once it has reaped each (Linux, /proc/self/stat).
 *
 * Porcupine stops at the first key it finds not linearizable; so does Rift here (`--after-bad-key 0`), where by
 * default it goes on for up to 3 s to name every bad key. The one-call figure with that default is printed too.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IndexedOp } from '../harness/core/op.ts';
import { toPorcupineOps } from '../test/checkers/linearizable/porcupine-ref.ts';

export interface CorpusEntry {
  file: string;
  group: 'etcd' | 'kv';
  expected: boolean;
  ops: IndexedOp[];
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RIFT = path.join(repoRoot, 'bin', 'rift.mjs');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
/** Start-up runs of each side (alternating). */
const STARTS = 21;

/** Model flags of `rift check` for a group, as the in-process bench passes them. */
const riftModel = (group: CorpusEntry['group']): string[] => (group === 'kv' ? ['--model', 'kv', '--initial', '""'] : ['--model', 'cas-register']);
/** Stop at the first bad key, as Porcupine does. */
const FIRST_BAD_KEY = ['--after-bad-key', '0'];

/** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;

/** CPU ms of this process's reaped children so far (cutime + cstime), or NaN where /proc is not there. */
function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_S;
  } catch {
    return NaN;
  }
}

/** Runs a command to its end and returns its wall and CPU time in ms; `stdinFile` becomes its standard input. */
function timed(cmd: string, args: string[], stdinFile?: string): { ms: number; cpuMs: number; stdout: string; status: number | null } {
  const fd = stdinFile === undefined ? 'ignore' : openSync(stdinFile, 'r');
  try {
    const cpu = childrenCpuMs();
    const t = performance.now();
    const r = spawnSync(cmd, args, { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NODE_OPTIONS: '' } });
    const ms = performance.now() - t;
    if (r.error) throw r.error;
    return { ms, cpuMs: childrenCpuMs() - cpu, stdout: r.stdout, status: r.status };
  } finally {
    if (typeof fd === 'number') closeSync(fd);
  }
}

/** The verdict per file from the lines `rift check` prints for many files ("VALID  path", "INVALID  path — …"). */
function riftVerdicts(stdout: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const m of stdout.matchAll(/^(VALID|INVALID)\s+(\S+)/gm)) out.set(path.resolve(m[2]), m[1] === 'VALID');
  return out;
}

export async function corpusThroughCli(entries: readonly CorpusEntry[], porcheck: string, reps: number): Promise<void> {
  // The compiled build is what a user runs; bin/rift.mjs would fall back to tsx without it.
  execFileSync('bash', [path.join(repoRoot, 'scripts', 'build.sh')], { stdio: 'inherit' });
  const dir = mkdtempSync(path.join(tmpdir(), 'rift-cli-bench-'));
  try {
    const groups = ['etcd', 'kv'] as const;
    const historyOf = new Map<CorpusEntry, string>();
    const requestOf = new Map<CorpusEntry, string>();
    for (const g of groups) mkdirSync(path.join(dir, g));
    for (const e of entries) {
      const name = path.basename(e.file).replace(/\.\w+$/, '');
      const h = path.join(dir, e.group, `${name}.jsonl`);
      writeFileSync(h, e.ops.map(({ index: _i, line: _l, ...op }) => JSON.stringify(op)).join('\n') + '\n');
      historyOf.set(e, h);
      const req = path.join(dir, `${e.group}-${name}.porcupine.json`);
      writeFileSync(req, JSON.stringify({ model: e.group === 'kv' ? 'kv' : 'cas-register', timeoutMs: 0, histories: [toPorcupineOps(e.ops)] }));
      requestOf.set(e, req);
    }
    const groupRequest = new Map(groups.map((g) => {
      const req = path.join(dir, `${g}.porcupine.json`);
      const mine = entries.filter((e) => e.group === g);
      writeFileSync(req, JSON.stringify({ model: g === 'kv' ? 'kv' : 'cas-register', timeoutMs: 0, histories: mine.map((e) => toPorcupineOps(e.ops)) }));
      return [g, req];
    }));

    const riftGroup = (g: CorpusEntry['group'], stop = FIRST_BAD_KEY) => timed(process.execPath, [RIFT, 'check', path.join(dir, g), ...riftModel(g), ...stop]);
    const porcGroup = (g: CorpusEntry['group']) => timed(porcheck, [], groupRequest.get(g));
    // Verdicts first, so a figure below is never the time of a wrong answer.
    for (const g of groups) {
      const verdicts = riftVerdicts(riftGroup(g).stdout);
      for (const e of entries.filter((x) => x.group === g)) {
        if (verdicts.get(historyOf.get(e)!) !== e.expected) throw new Error(`rift check ${e.file}: expected ${e.expected}, got ${verdicts.get(historyOf.get(e)!)}`);
      }
    }
    type Times = Record<CorpusEntry['group'], { ms: number; cpuMs: number }>;
    const oneCall: [Times, Times][] = [];
    const withGrace: number[] = [];
    const loadBefore = loadavg()[0];
    for (let i = 0; i < reps; i++) {
      const rift = {} as Times;
      const porc = {} as Times;
      let graced = 0;
      for (const g of groups) {
        rift[g] = riftGroup(g);
        porc[g] = porcGroup(g);
        graced += riftGroup(g, []).ms;
      }
      oneCall.push([rift, porc]);
      withGrace.push(graced);
    }
    const load = `load average ${loadBefore.toFixed(1)}–${loadavg()[0].toFixed(1)}`;
    const total = (x: Times, pick: 'ms' | 'cpuMs' = 'ms'): number => x.etcd[pick] + x.kv[pick];
    const r1 = median(oneCall.map(([r]) => total(r)));
    const p1 = median(oneCall.map(([, p]) => total(p)));
    const ratio1 = median(oneCall.map(([r, p]) => total(r) / total(p)));
    const byGroup = groups.map((g) => `${g} ${median(oneCall.map(([r, p]) => r[g].ms / p[g].ms)).toFixed(2)}`).join(', ');
    const rCpu = median(oneCall.map(([r]) => total(r, 'cpuMs')));
    const pCpu = median(oneCall.map(([, p]) => total(p, 'cpuMs')));
    const cpuRatio = median(oneCall.map(([r, p]) => total(r, 'cpuMs') / total(p, 'cpuMs')));
    const cpuByGroup = groups.map((g) => `${g} ${median(oneCall.map(([r, p]) => r[g].cpuMs / p[g].cpuMs)).toFixed(2)}`).join(', ');

    // One call per file, Rift's and Porcupine's alternating file by file: Rift checking only, then with --out
    // (report.html and junit.xml too), as a user looking at one history runs it.
    let riftEach = 0;
    let riftEachOut = 0;
    let porcEach = 0;
    for (const e of entries) {
      const only = timed(process.execPath, [RIFT, 'check', historyOf.get(e)!, ...riftModel(e.group), ...FIRST_BAD_KEY]);
      const r = timed(process.execPath, [RIFT, 'check', historyOf.get(e)!, '--out', path.join(dir, 'out'), ...riftModel(e.group), ...FIRST_BAD_KEY]);
      for (const x of [only, r]) if ((x.status === 0) !== e.expected) throw new Error(`rift check ${e.file}: exit ${x.status}, expected ${e.expected ? 0 : 1}`);
      riftEach += only.ms;
      riftEachOut += r.ms;
      porcEach += timed(porcheck, [], requestOf.get(e)).ms;
    }

    // Start-up: a two-event history, next to Node starting and doing nothing, alternating.
    const tiny = path.join(dir, 'tiny.jsonl');
    writeFileSync(tiny, [{ type: 'invoke', process: 0, f: 'write', key: 'x', value: 1, time: 1 }, { type: 'ok', process: 0, f: 'write', key: 'x', value: 1, time: 2 }].map((o) => JSON.stringify(o)).join('\n') + '\n');
    const startRift: { ms: number; cpuMs: number }[] = [];
    const startNode: { ms: number; cpuMs: number }[] = [];
    const startLoad = loadavg()[0];
    for (let i = 0; i < STARTS; i++) {
      startRift.push(timed(process.execPath, [RIFT, 'check', tiny, '--model', 'register']));
      startNode.push(timed(process.execPath, ['-e', '0']));
    }
    const startLoads = `load average ${startLoad.toFixed(1)}–${loadavg()[0].toFixed(1)}`;
    const wall = (xs: { ms: number }[]): string => `${median(xs.map((x) => x.ms)).toFixed(0)} ms`;
    const cpu = (xs: { cpuMs: number }[]): string => `${median(xs.map((x) => x.cpuMs)).toFixed(0)} ms`;

    const n = entries.length;
    console.log(`\nthe corpus as a user runs it: whole processes, start-up and parsing included (${n} histories; Rift = bin/rift.mjs check,`);
    console.log('the compiled build; Porcupine = its Go program built here, reading the same histories as JSON)');
    console.log(`  one call per model (2 calls), median of ${reps}, ${load}:`);
    console.log(`    wall: Rift ${sec(r1)}, Porcupine ${sec(p1)}; ratio ${(r1 / p1).toFixed(2)} (median of pair ratios ${ratio1.toFixed(2)}; per model ${byGroup})`);
    console.log(`    CPU:  Rift ${sec(rCpu)}, Porcupine ${sec(pCpu)}; ratio ${(rCpu / pCpu).toFixed(2)} (median of pair ratios ${cpuRatio.toFixed(2)}; per model ${cpuByGroup})`);
    console.log(`    the same without --after-bad-key 0 (up to 3 s more per history to name every bad key): Rift ${sec(median(withGrace))} wall`);
    console.log(`  one call per file (${n} calls each): Rift ${sec(riftEach)} (${(riftEach / n).toFixed(0)} ms a call; with --out, report.html too: ${(riftEachOut / n).toFixed(0)} ms), Porcupine ${sec(porcEach)} (${(porcEach / n).toFixed(0)} ms); ratio ${(riftEach / porcEach).toFixed(2)}`);
    console.log(`  per-file start-up, rift check of a 2-event history, median of ${STARTS} at ${startLoads}: ${wall(startRift)} wall, ${cpu(startRift)} CPU (node -e 0: ${wall(startNode)} wall, ${cpu(startNode)} CPU)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
