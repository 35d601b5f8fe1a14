/**
 * Elle list-append throughput on realistic generated histories (CHECKERS.md §3.8, §5.4): one from a serializable
 * database (no cycles: inference-bound) and one from a snapshot-isolation database (write skew: cycle search runs).
 * Run: node --import tsx bench/elle.bench.ts [transactions=100000]
 * Prints transactions per second, peak RSS and heap, and a ratio against a reference measured in the same run:
 * a JSON round trip of the history (what merely reading history.jsonl costs), so figures compare across machines.
 */
import { checkListAppend } from '../checkers/elle/index.ts';
import { parseHistory } from '../harness/history/reader.ts';
import { simulate, type SimOptions } from '../test/checkers/elle/sim.ts';

const txns = Number(process.argv[2] ?? 100_000);
if (!Number.isInteger(txns) || txns <= 0) {
  console.error(`usage: node --import tsx bench/elle.bench.ts [transactions]; got ${JSON.stringify(process.argv[2])}`);
  process.exit(64);
}

const mb = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MB`;
const ms = (t: number): string => `${t.toFixed(0)} ms`;
const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

async function scenario(isolation: SimOptions['isolation']): Promise<void> {
  let peakRss = 0, peakHeap = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const { ops } = simulate({
    seed: 42, txns, processes: 10, isolation,
    activeKeys: 32, writesPerKey: 64, maxMops: 10, failRate: 0.02, infoRate: 0.01,
  });

  const t1 = performance.now();
  const refCpu0 = process.cpuUsage();
  const text = ops.map((o) => JSON.stringify(o)).join('\n');
  const history = parseHistory(text, 'bench').ops;
  const readCpuMs = cpuMs(process.cpuUsage(refCpu0));
  const readMs = performance.now() - t1;

  sample();
  const baseRss = peakRss;
  const t2 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = await checkListAppend(history, { consistencyModels: [isolation] });
  // Other work shares this machine; CPU time (user + system, GC threads included) is the steadier figure.
  const checkCpuMs = cpuMs(process.cpuUsage(cpu0));
  const checkMs = performance.now() - t2;
  // The check is synchronous, so no timer can sample during it; the heap right after still holds its structures.
  sample();

  const stats = result.stats as Record<string, number>;
  console.log(`${isolation}: ${txns} transactions, ${history.length} events, 10 processes, 1-10 micro-ops, Zipf-ish keys rotated every 64 appends`);
  console.log(`  reference (JSON round trip of the history) ${ms(readMs)}`);
  console.log(`  check                ${ms(checkMs)}  (infer+graph ${stats.inferMs} ms, SCC+cycles ${stats.cycleSearchMs} ms; ${stats.edges} edges, ${stats.sccs} SCCs, largest ${stats.largestScc})`);
  console.log(`  throughput           ${Math.round(txns / (checkMs / 1000)).toLocaleString('en')} txn/s wall, ${Math.round(txns / (checkCpuMs / 1000)).toLocaleString('en')} txn/s per CPU second   (Elle on the JVM reports 100,000-160,000 txn/s)`);
  console.log(`  ratio check / reference  ${(checkMs / readMs).toFixed(2)}x wall, ${(checkCpuMs / readCpuMs).toFixed(2)}x CPU`);
  console.log(`  peak memory          RSS ${mb(peakRss)} (before check ${mb(baseRss)}), heap ${mb(peakHeap)}`);
  console.log(`  verdict              ${result.valid} ${JSON.stringify(result.anomalyTypes)}`);
}

await scenario('serializable');
await scenario('snapshot-isolation');
