/**
 * The Porcupine corpus checked as a user runs it: whole processes, start-up and parsing included. Rift is
 * `bin/rift.mjs check` (the compiled build) on the corpus written as Rift JSONL histories; Porcupine is the Go
 * program of test/differential/porcupine built here, reading the same histories as JSON. Both in one call per
 * model (the etcd logs are cas-registers, the kv files kv maps) and in one call per file, Rift's and Porcupine's
 * calls alternating. Wall times are taken around each child process from spawn to exit.
 *
 * Porcupine stops at the first key it finds not linearizable; so does Rift here (`--after-bad-key 0`), where by
 * default it goes on for up to 3 s to name every bad key. The one-call figure with that default is printed too.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** Model flags of `rift check` for a group, as the in-process bench passes them. */
const riftModel = (group: CorpusEntry['group']): string[] => (group === 'kv' ? ['--model', 'kv', '--initial', '""'] : ['--model', 'cas-register']);
/** Stop at the first bad key, as Porcupine does. */
const FIRST_BAD_KEY = ['--after-bad-key', '0'];

/** Runs a command to its end and returns its wall time in ms; `stdinFile` becomes its standard input. */
function timed(cmd: string, args: string[], stdinFile?: string): { ms: number; stdout: string; status: number | null } {
  const fd = stdinFile === undefined ? 'ignore' : openSync(stdinFile, 'r');
  try {
    const t = performance.now();
    const r = spawnSync(cmd, args, { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NODE_OPTIONS: '' } });
    const ms = performance.now() - t;
    if (r.error) throw r.error;
    return { ms, stdout: r.stdout, status: r.status };
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
    const oneCall: Record<CorpusEntry['group'], number>[][] = [];
    const withGrace: number[] = [];
    for (let i = 0; i < reps; i++) {
      const rift = { etcd: 0, kv: 0 };
      const porc = { etcd: 0, kv: 0 };
      let graced = 0;
      for (const g of groups) {
        rift[g] = riftGroup(g).ms;
        porc[g] = porcGroup(g).ms;
        graced += riftGroup(g, []).ms;
      }
      oneCall.push([rift, porc]);
      withGrace.push(graced);
    }
    const total = (x: Record<CorpusEntry['group'], number>): number => x.etcd + x.kv;
    const r1 = median(oneCall.map(([r]) => total(r)));
    const p1 = median(oneCall.map(([, p]) => total(p)));
    const ratio1 = median(oneCall.map(([r, p]) => total(r) / total(p)));
    const byGroup = groups.map((g) => `${g} ${median(oneCall.map(([r, p]) => r[g] / p[g])).toFixed(2)}`).join(', ');

    // One call per file, Rift's and Porcupine's alternating file by file.
    let riftEach = 0;
    let porcEach = 0;
    for (const e of entries) {
      const r = timed(process.execPath, [RIFT, 'check', historyOf.get(e)!, '--out', path.join(dir, 'out'), ...riftModel(e.group), ...FIRST_BAD_KEY]);
      if ((r.status === 0) !== e.expected) throw new Error(`rift check ${e.file}: exit ${r.status}, expected ${e.expected ? 0 : 1}`);
      riftEach += r.ms;
      porcEach += timed(porcheck, [], requestOf.get(e)).ms;
    }

    // Start-up: a two-event history, next to Node starting and doing nothing, alternating.
    const tiny = path.join(dir, 'tiny.jsonl');
    writeFileSync(tiny, [{ type: 'invoke', process: 0, f: 'write', key: 'x', value: 1, time: 1 }, { type: 'ok', process: 0, f: 'write', key: 'x', value: 1, time: 2 }].map((o) => JSON.stringify(o)).join('\n') + '\n');
    const startRift: number[] = [];
    const startNode: number[] = [];
    for (let i = 0; i < 21; i++) {
      startRift.push(timed(process.execPath, [RIFT, 'check', tiny, '--model', 'register']).ms);
      startNode.push(timed(process.execPath, ['-e', '0']).ms);
    }

    const n = entries.length;
    console.log(`\nthe corpus as a user runs it: whole processes, start-up and parsing included (${n} histories; Rift = bin/rift.mjs check,`);
    console.log('the compiled build; Porcupine = its Go program built here, reading the same histories as JSON)');
    console.log(`  one call per model (2 calls), median of ${reps}: Rift ${sec(r1)}, Porcupine ${sec(p1)}; ratio ${(r1 / p1).toFixed(2)} (median of pair ratios ${ratio1.toFixed(2)}; per model ${byGroup})`);
    console.log(`    the same without --after-bad-key 0 (up to 3 s more per history to name every bad key): Rift ${sec(median(withGrace))}`);
    console.log(`  one call per file (${n} calls each, Rift with --out: report.html too): Rift ${sec(riftEach)} (${(riftEach / n).toFixed(0)} ms a call), Porcupine ${sec(porcEach)} (${(porcEach / n).toFixed(0)} ms); ratio ${(riftEach / porcEach).toFixed(2)}`);
    console.log(`  start-up, rift check of a 2-event history: ${median(startRift).toFixed(0)} ms median of 21 (node -e 0: ${median(startNode).toFixed(0)} ms)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
