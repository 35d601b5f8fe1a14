/**
 * Rendering a large run's report: a generated 100,000-operation history (3 regions, faults, a checker blaming
 * operations) through renderReport, next to JSON.stringify of the same history as the reference, plus file size.
 *
 *   node --import tsx bench/report.bench.ts [--ops N]
 */
import { parseArgs } from 'node:util';
import type { Op } from '../harness/core/op.ts';
import { indexOps } from '../harness/history/reader.ts';
import { seededRandom } from '../harness/core/random.ts';
import { renderReport } from '../reports/html/page.ts';
import { computeStats } from '../checkers/stats.ts';

const { values } = parseArgs({ options: { ops: { type: 'string' } } });
const N = Number(values.ops ?? 100_000);
const regions = ['us-east', 'eu-west', 'ap-south'];
const rnd = seededRandom(7);

const ops: Op[] = [];
let t = 0;
for (let i = 0; i < N; i++) {
  const p = i % 30;
  t += 100_000;
  const f = rnd() < 0.5 ? 'read' : 'write';
  const key = `k${Math.floor(rnd() * 8)}`;
  ops.push({ type: 'invoke', process: p, f, key, value: f === 'read' ? null : i, time: t, region: regions[p % 3] });
  ops.push({ type: rnd() < 0.97 ? 'ok' : 'info', process: p, f, key, value: i, time: t + Math.floor(rnd() * 2.9e6), region: regions[p % 3] });
  if (i % 5000 === 0) {
    ops.push({ type: 'invoke', process: 'nemesis', f: i % 10000 === 0 ? 'partition' : 'heal', value: null, time: t });
    ops.push({ type: 'info', process: 'nemesis', f: i % 10000 === 0 ? 'partition' : 'heal', value: 'isolated us-east', time: t + 1, meta: { tookEffect: true } });
  }
}
ops.sort((a, b) => a.time - b.time);
const history = indexOps(ops);
const results = {
  valid: false as const,
  checkers: {
    stats: computeStats(history),
    linearizable: { valid: false as const, reason: 'synthetic', counterexample: { key: 'k1', stuck: { line: 501 } } },
  },
};

const time = (fn: () => unknown) => {
  const t0 = performance.now();
  const out = fn();
  return { ms: performance.now() - t0, out };
};
const ref = time(() => JSON.stringify(history));
const html = time(() => renderReport({ history, results, run: { name: 'bench', regions } }));
console.log(`history: ${N} operations (${history.length} events)`);
console.log(`JSON.stringify(history): ${ref.ms.toFixed(0)} ms, ${((ref.out as string).length / 1e6).toFixed(1)} MB`);
console.log(`renderReport: ${html.ms.toFixed(0)} ms, ${((html.out as string).length / 1e6).toFixed(2)} MB`);
console.log(`ratio render / stringify: ${(html.ms / ref.ms).toFixed(2)}`);
console.log(`peak RSS: ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
