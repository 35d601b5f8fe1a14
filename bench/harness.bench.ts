/**
 * The harness's own speed: how many operations per second the generator, interpreter and history writer
 * sustain with a client that does nothing (the ceiling any target run is under), next to the rate of a
 * real run against three layer regions on this machine (the local target: clients and peers through Toxiproxy,
 * every operation recorded), without faults and with the default faults (partition-isolate, kill), and the ratio.
 *
 *   node --import tsx bench/harness.bench.ts [--ops N] [--seconds S] [--concurrency N]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Client } from '../harness/core/client.ts';
import { interpret } from '../harness/generator/interpreter.ts';
import { limit } from '../harness/generator/basic.ts';
import { HistoryWriter } from '../harness/history/writer.ts';
import { seededRandom } from '../harness/core/random.ts';
import { registerWorkload } from '../workloads/register.ts';
import { parseRunSpec } from '../harness/cli/run.ts';
import { run } from '../harness/runner.ts';
import { Progress } from '../harness/progress.ts';

const { values } = parseArgs({ options: { ops: { type: 'string' }, seconds: { type: 'string' }, concurrency: { type: 'string' } } });
const OPS = Number(values.ops ?? 200_000);
const SECONDS = Number(values.seconds ?? 10);
const CONCURRENCY = Number(values.concurrency ?? 24);

const noop: Client = {
  open: async () => noop,
  invoke: async (op) => ({ type: 'ok', value: op.f === 'read' ? null : op.value }),
  close: async () => undefined,
};

async function harnessOnly(): Promise<{ opsPerS: number; bytesPerOp: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'rift-bench-'));
  try {
    const file = join(dir, 'history.jsonl');
    const writer = new HistoryWriter(file);
    const workload = registerWorkload({ regions: ['us-east', 'eu-west', 'ap-south'] });
    const t0 = process.hrtime.bigint();
    const now = () => Number(process.hrtime.bigint() - t0);
    const stats = await interpret({
      generator: limit(OPS, workload.generator), concurrency: 30, regions: ['us-east', 'eu-west', 'ap-south'],
      client: noop, record: (op) => writer.append(op), now, random: seededRandom(1), opTimeoutMs: 5000,
    });
    writer.close();
    const s = now() / 1e9;
    return { opsPerS: stats.invoked / s, bytesPerOp: statSync(file).size / (2 * stats.invoked) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function endToEnd(nemesis: string[]): Promise<{ opsPerS: number; okFraction: number }> {
  const store = mkdtempSync(join(tmpdir(), 'rift-bench-run-'));
  try {
    const spec = parseRunSpec([...nemesis, '--time-limit', String(SECONDS), '--rate', '100000', '--concurrency', String(CONCURRENCY),
      '--settle', '0', '--store', store, '--name', 'bench', '--seed', '1']);
    const quiet = new Progress({ isTTY: false, write: () => true } as unknown as NodeJS.WriteStream);
    const out = await run(spec, quiet);
    const c = (out.results.checkers.stats as { total?: { ok: number; fail: number; info: number } }).total;
    const done = c ? c.ok + c.fail + c.info : 0;
    return { opsPerS: done / SECONDS, okFraction: c ? c.ok / Math.max(1, done) : 0 };
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
}

const h = await harnessOnly();
console.log(`harness alone (no-op client, ${OPS} ops, 30 workers): ${h.opsPerS.toFixed(0)} ops/s generated and recorded, ${h.bytesPerOp.toFixed(0)} bytes/event`);
for (const [name, nemesis] of [['no faults', ['--nemesis', 'none']], ['default faults (partition-isolate, kill)', []]] as const) {
  const e = await endToEnd([...nemesis]);
  console.log(`end to end, ${name} (3 layer regions, ${CONCURRENCY} workers, unthrottled, ${SECONDS} s): ${e.opsPerS.toFixed(0)} ops/s, ${(e.okFraction * 100).toFixed(1)}% ok`);
  console.log(`  ratio end-to-end / harness alone: ${(e.opsPerS / h.opsPerS).toFixed(3)} (below 1: the system under test, not the harness, sets the pace)`);
}
process.exit(0);
