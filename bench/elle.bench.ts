/**
 * Elle list-append throughput and memory on realistic generated histories (CHECKERS.md §3.8, §5.4): one from a
 * serializable database (no cycles: inference-bound) and one from a snapshot-isolation database (write skew: cycle
 * search and explanations run).
 * Run: node --import tsx bench/elle.bench.ts [transactions=100000] [runs=3]
 *
 * Each history is written to a history.jsonl, then every measurement runs in a fresh process that reads it with the
 * project's reader, as `rift check` does, so neither the simulator's state nor earlier runs' garbage is counted.
 * - reference: reading history.jsonl (what any checker of the file pays), timed in the same process as the check.
 * - check: checkListAppend on the parsed history. Peak RSS during the check is the kernel's high-water mark, reset
 *   once the parsed history is at rest, so it is the history's own footprint plus everything the checker adds;
 *   the whole process's peak (reading included) is printed too.
 * Other work shares this machine, so each figure is the median of `runs` processes, with CPU time (user + system,
 * GC threads included) beside wall time.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkListAppend } from '../checkers/elle/index.ts';
import { readHistory } from '../harness/history/reader.ts';
import { simulate, type SimOptions } from '../test/checkers/elle/sim.ts';

type Isolation = SimOptions['isolation'];

interface Measured {
  readMs: number;
  readCpuMs: number;
  checkMs: number;
  checkCpuMs: number;
  /** RSS with the parsed history at rest, just before the check. */
  restRssMb: number;
  /** Kernel high-water mark of RSS during the check alone (undefined where /proc cannot reset it). */
  checkPeakRssMb?: number;
  processPeakRssMb: number;
  restHeapMb: number;
  stats: Record<string, number>;
  valid: unknown;
  anomalyTypes: string[];
}

const MB = 2 ** 20;
const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;
const vm = (field: string): number | undefined => {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : undefined;
};

/** The child: read the history, let it settle, reset the RSS high-water mark, check, report as JSON on stdout. */
async function child(file: string, isolation: Isolation): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('the measuring process needs --expose-gc');
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { ops } = await readHistory(file);
  const readCpuMs = cpuMs(process.cpuUsage(cpu0));
  const readMs = performance.now() - t0;

  // V8 returns freed pages to the OS a little after a full GC; wait for that so the high-water mark starts at rest.
  gc();
  await new Promise((r) => setTimeout(r, 1000));
  gc();
  const rest = process.memoryUsage();
  let resettable = true;
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    resettable = false;
  }

  const t1 = performance.now();
  const cpu1 = process.cpuUsage();
  const result = await checkListAppend(ops, { consistencyModels: [isolation] });
  const checkCpuMs = cpuMs(process.cpuUsage(cpu1));
  const checkMs = performance.now() - t1;
  const out: Measured = {
    readMs, readCpuMs, checkMs, checkCpuMs,
    restRssMb: rest.rss / MB,
    checkPeakRssMb: resettable ? vm('VmHWM') : undefined,
    processPeakRssMb: process.resourceUsage().maxRSS / 1024,
    restHeapMb: rest.heapUsed / MB,
    stats: result.stats as Record<string, number>,
    valid: result.valid,
    anomalyTypes: result.anomalyTypes as string[],
  };
  process.stdout.write(JSON.stringify(out));
}

async function writeHistory(file: string, isolation: Isolation, txns: number): Promise<number> {
  const { ops } = simulate({
    seed: 42, txns, processes: 10, isolation,
    activeKeys: 32, writesPerKey: 64, maxMops: 10, failRate: 0.02, infoRate: 0.01,
  });
  const out = createWriteStream(file);
  for (const op of ops) if (!out.write(JSON.stringify(op) + '\n')) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return ops.length;
}

function measure(file: string, isolation: Isolation): Measured {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', self, '--child', file, isolation], {
    encoding: 'utf8', maxBuffer: 16 * MB,
  });
  if (r.status !== 0) throw new Error(`measuring process failed (${r.status ?? r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Measured;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmtMs = (t: number): string => `${t.toFixed(0)} ms`;
const fmtMb = (m: number): string => `${m.toFixed(0)} MB`;
const rate = (txns: number, ms: number): string => `${Math.round(txns / (ms / 1000)).toLocaleString('en')} txn/s`;

async function scenario(dir: string, isolation: Isolation, txns: number, runs: number): Promise<void> {
  const file = join(dir, `${isolation}.jsonl`);
  const events = await writeHistory(file, isolation, txns);
  const ms: Measured[] = [];
  for (let i = 0; i < runs; i++) ms.push(measure(file, isolation));
  const med = (f: (m: Measured) => number): number => median(ms.map(f));
  // Phase timings and counts from the run whose check time is the median.
  const { stats, valid, anomalyTypes } = [...ms].sort((a, b) => a.checkMs - b.checkMs)[(ms.length - 1) >> 1];
  const verdicts = new Set(ms.map((m) => JSON.stringify([m.valid, m.anomalyTypes])));
  if (verdicts.size !== 1) throw new Error(`runs disagree: ${[...verdicts].join(' vs ')}`);
  const checkMs = med((m) => m.checkMs), checkCpuMs = med((m) => m.checkCpuMs);
  const readMs = med((m) => m.readMs), readCpuMs = med((m) => m.readCpuMs);
  const peaks = ms.map((m) => m.checkPeakRssMb).filter((p): p is number => p !== undefined);

  console.log(`${isolation}: ${txns} transactions, ${events} events, 10 processes, 1-10 micro-ops, Zipf-ish keys rotated every 64 appends (median of ${runs} processes)`);
  console.log(`  reference: read history.jsonl  ${fmtMs(readMs)} wall, ${fmtMs(readCpuMs)} CPU`);
  console.log(`  check                ${fmtMs(checkMs)} wall, ${fmtMs(checkCpuMs)} CPU  (infer+graph ${stats.inferMs} ms, SCC+cycles ${stats.cycleSearchMs} ms; ${stats.edges} edges, ${stats.sccs} SCCs, largest ${stats.largestScc})`);
  console.log(`  throughput           ${rate(txns, checkMs)} wall, ${rate(txns, checkCpuMs)} per CPU second   (Elle on the JVM reports 100,000-160,000 txn/s)`);
  console.log(`  ratio check / read   ${(checkMs / readMs).toFixed(2)}x wall, ${(checkCpuMs / readCpuMs).toFixed(2)}x CPU`);
  console.log(`  memory               history at rest: RSS ${fmtMb(med((m) => m.restRssMb))}, heap ${fmtMb(med((m) => m.restHeapMb))}; `
    + (peaks.length > 0 ? `peak RSS during check ${fmtMb(median(peaks))} (+${fmtMb(median(peaks) - med((m) => m.restRssMb))}); ` : '')
    + `whole process peak RSS (reading included) ${fmtMb(med((m) => m.processPeakRssMb))}`);
  console.log(`  verdict              ${valid} ${JSON.stringify(anomalyTypes)}`);
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4] as Isolation);
} else {
  const txns = Number(process.argv[2] ?? 100_000);
  const runs = Number(process.argv[3] ?? 3);
  if (!Number.isInteger(txns) || txns <= 0 || !Number.isInteger(runs) || runs <= 0) {
    console.error(`usage: node --import tsx bench/elle.bench.ts [transactions] [runs]; got ${JSON.stringify(process.argv.slice(2))}`);
    process.exit(64);
  }
  const dir = mkdtempSync(join(tmpdir(), 'elle-bench-'));
  try {
    await scenario(dir, 'serializable', txns, runs);
    await scenario(dir, 'snapshot-isolation', txns, runs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
