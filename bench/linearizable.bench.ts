/**
 * Rift's linearizability checker against Porcupine v1.3.1 on Porcupine's own corpus (every etcd log, every kv
 * file checked per key), both measured in this run on this machine; then the pathological-history budget; then
 * the corpus through the CLI as a user runs it (bench/linearizable-cli.ts).
 * Run: node --import tsx bench/linearizable.bench.ts [repetitions] [--cli-only]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IndexedOp } from '../harness/core/op.ts';
import { parseJepsenEtcdLog, parseKvLog } from '../checkers/interop/porcupine-formats.ts';
import { checkLinearizable, type LinearizableOptions } from '../checkers/linearizable/index.ts';
import { shutdownPool } from '../checkers/linearizable/pool.ts';
import { buildPorcupineRef, runPorcupine, toPorcupineOps } from '../test/checkers/linearizable/porcupine-ref.ts';
import { pathologicalHistory } from '../test/checkers/linearizable/pathological.ts';
import { simulate } from '../test/checkers/linearizable/gen.ts';
import { corpusThroughCli } from './linearizable-cli.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = path.resolve(repoRoot, '..', 'shared', 'conformance', 'porcupine');
const args = process.argv.slice(2);
const cliOnly = args.includes('--cli-only');
const reps = Number(args.find((a) => a !== '--cli-only') ?? 5);
/** A file Porcupine checks faster than this (median) counts as small: there a fixed cost per check would show. */
const EASY_MS = 1;

interface Entry {
  file: string;
  group: 'etcd' | 'kv';
  expected: boolean;
  ops: IndexedOp[];
}

/**
 * The events rebuilt by JSON.parse, so that events of one shape share one hidden class. Events built by object
 * spread (the etcd reader, gen.ts) get one hidden class each in this V8, and the checker's first read of each
 * field would measure V8's megamorphic lookups (about a microsecond per event), a cost of how the reader built
 * the events rather than of the check.
 */
const plainEvents = (ops: IndexedOp[]): IndexedOp[] => JSON.parse(JSON.stringify(ops)) as IndexedOp[];

const verdicts: { file: string; expected: string | null }[] = JSON.parse(readFileSync(path.join(corpus, 'VERDICTS.json'), 'utf8')).files;
const entries: Entry[] = verdicts
  .filter((v) => v.expected !== null)
  .map((v) => {
    const text = readFileSync(path.join(corpus, v.file), 'utf8');
    const kv = v.file.startsWith('kv/');
    const parsed = kv ? parseKvLog(text, v.file) : parseJepsenEtcdLog(text, v.file);
    return { file: v.file, group: kv ? 'kv' : 'etcd', expected: v.expected === 'ok', ops: plainEvents(parsed) };
  });
/** Stopping at the first key found not linearizable, as Porcupine does (by default Rift names every bad key). */
const optsFor = (e: Entry): LinearizableOptions => (e.group === 'kv' ? { model: 'kv', initial: '', afterIllegalMs: 0 } : { model: 'cas-register', afterIllegalMs: 0 });

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number): string => x.toFixed(1).padStart(8) + ' ms';

function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

async function pathological(): Promise<void> {
  const before = peakRssMb();
  const t = performance.now();
  const r = await checkLinearizable(pathologicalHistory(40), { model: 'register', budgetMs: 2000, workers: 1 });
  const took = performance.now() - t;
  const stats = r.stats as { cacheEntries: number };
  console.log(`pathological history (40 concurrent writes + impossible read), budget 2000 ms:`);
  console.log(`  verdict ${String(r.valid)} (${r.reason}) after ${took.toFixed(0)} ms; ${stats.cacheEntries} memo entries; peak RSS ${peakRssMb().toFixed(0)} MB (was ${before.toFixed(0)} MB before)`);
}

async function riftPass(): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  for (const e of entries) {
    const t = performance.now();
    const r = await checkLinearizable(e.ops, optsFor(e));
    times.set(e.file, performance.now() - t);
    if (r.valid !== e.expected) throw new Error(`${e.file}: Rift says ${String(r.valid)}, expected ${e.expected}`);
  }
  return times;
}

const porcupineOps = new Map(entries.map((e) => [e.file, toPorcupineOps(e.ops)]));

/** One Porcupine pass over the corpus: a process per group that checks the group twice, the first time to warm up. */
async function porcupinePass(bin: string): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  for (const group of ['etcd', 'kv'] as const) {
    const mine = entries.filter((e) => e.group === group);
    const histories = mine.map((e) => porcupineOps.get(e.file)!);
    const runs = await runPorcupine(bin, group === 'kv' ? 'kv' : 'cas-register', [...histories, ...histories]);
    runs.slice(mine.length).forEach((run, i) => {
      const e = mine[i];
      if ((run.verdict === 'Ok') !== e.expected) throw new Error(`${e.file}: Porcupine says ${run.verdict}, expected ${e.expected}`);
      times.set(e.file, run.ns / 1e6);
    });
  }
  return times;
}

/** Runs per grid cell and side: a 1000-op check takes about a millisecond, less than one preemption on a busy machine. */
const GRID_RUNS = 9;

/** Generated single-key cas-register histories (no timeouts), c concurrent clients × n ops, as in CHECKERS.md §5.4. */
async function generatedGrid(bin: string): Promise<void> {
  console.log(`\ngenerated cas-register histories, one key, no info ops (median of ${GRID_RUNS} after warm-up runs, each side)`);
  console.log(`${'c × n'.padEnd(14)}${'Rift'.padStart(11)}${'Porcupine'.padStart(12)}   ratio   Rift memo entries`);
  for (const c of [5, 10, 20]) {
    for (const n of [1000, 10000]) {
      let seed = c * 7919 + n;
      const choices = Array.from({ length: 4096 }, () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8);
      const h = plainEvents(simulate({ kind: 'cas-register', processes: c, ops: n, keys: 1, values: 5, infoRate: 0, failRate: 50, choices }));
      let r = await checkLinearizable(h, { model: 'cas-register', budgetMs: 20_000 });
      for (let i = 0; i < 2; i++) r = await checkLinearizable(h, { model: 'cas-register', budgetMs: 20_000 });
      const times: number[] = [];
      for (let i = 0; i < GRID_RUNS; i++) {
        const t = performance.now();
        r = await checkLinearizable(h, { model: 'cas-register', budgetMs: 20_000 });
        times.push(performance.now() - t);
      }
      const mine = median(times);
      const ops = toPorcupineOps(h);
      const runs = await runPorcupine(bin, 'cas-register', Array.from({ length: GRID_RUNS + 1 }, () => ops), 20_000);
      const theirs = median(runs.slice(1).map((x) => x.ns / 1e6));
      const entries = (r.stats as { cacheEntries: number }).cacheEntries;
      const verdicts = `${String(r.valid)}/${runs[0].verdict}`;
      console.log(`${`${c} × ${n}`.padEnd(14)}${ms(mine)}${ms(theirs).padStart(12)}   ${(mine / theirs).toFixed(2).padStart(5)}   ${entries} (${verdicts})`);
    }
  }
}

const sum = (m: Map<string, number>, pick: (file: string) => boolean): number => [...m].filter(([f]) => pick(f)).reduce((s, [, v]) => s + v, 0);

/** The checkers in this process against Porcupine's own timing of its check, then the CLI as a user runs it. */
async function inProcessComparison(bin: string): Promise<void> {
  await pathological();
  await riftPass();
  await porcupinePass(bin);
  // Rift and Porcupine passes alternate, so a change in the machine's load hits both sides of a pass alike.
  const rift: Map<string, number>[] = [];
  const porc: Map<string, number>[] = [];
  for (let i = 0; i < reps; i++) {
    rift.push(await riftPass());
    porc.push(await porcupinePass(bin));
  }
  const porcMedian = new Map(entries.map((e) => [e.file, median(porc.map((m) => m.get(e.file)!))]));
  const easy = new Set(entries.filter((e) => porcMedian.get(e.file)! < EASY_MS).map((e) => e.file));
  const groups: [string, (f: string) => boolean][] = [
    ['etcd logs (102)', (f) => f.startsWith('jepsen/')],
    ['kv c01+c10 (4)', (f) => /kv\/c(01|10)/.test(f)],
    ['kv c50-ok', (f) => f === 'kv/c50-ok.txt'],
    ['kv c50-bad', (f) => f === 'kv/c50-bad.txt'],
    [`small (${easy.size}, Porc < ${EASY_MS} ms)`, (f) => easy.has(f)],
    ['whole corpus (108)', () => true],
  ];
  console.log(`\nPorcupine corpus, ${reps} passes after a warm-up pass (checking time only, parse excluded), Rift's and`);
  console.log("Porcupine's passes alternating. ratio = Rift / Porcupine: of the medians, the median of each pass's own ratio,");
  console.log('and of the best passes (on a shared machine the best pass is the least disturbed one). "small": the files');
  console.log(`Porcupine checks in under ${EASY_MS} ms (median), where a fixed cost per check would show.`);
  console.log(`${'set'.padEnd(24)}${'Rift med'.padStart(11)}${'Porc med'.padStart(12)}  ratio  pass ratio${'Rift best'.padStart(12)}${'Porc best'.padStart(12)}  ratio`);
  for (const [name, pick] of groups) {
    const rs = rift.map((m) => sum(m, pick));
    const ps = porc.map((m) => sum(m, pick));
    const [r, p, rb, pb] = [median(rs), median(ps), Math.min(...rs), Math.min(...ps)];
    const perPass = median(rs.map((x, i) => x / ps[i]));
    console.log(
      `${name.padEnd(24)}${ms(r)}${ms(p).padStart(12)}  ${(r / p).toFixed(2).padStart(5)}  ${perPass.toFixed(2).padStart(10)}${ms(rb).padStart(12)}${ms(pb).padStart(12)}  ${(rb / pb).toFixed(2).padStart(5)}`,
    );
  }
  await generatedGrid(bin);
  const slowest = [...rift[0]].sort((a, b) => b[1] - a[1]).slice(0, 5);
  console.log('slowest files for Rift (one pass):', slowest.map(([f, t]) => `${f} ${t.toFixed(1)} ms (Porcupine ${porc[0].get(f)!.toFixed(1)} ms)`).join('; '));
  await corpusThroughCli(entries, bin, reps);
}

const ref = await buildPorcupineRef();
try {
  if (cliOnly) await corpusThroughCli(entries, ref.bin, reps);
  else await inProcessComparison(ref.bin);
} finally {
  await ref.dispose();
  await shutdownPool();
}
