/**
 * Layer node speed against raw Redis on the same machine, measured in the same run (acceptance 4).
 * Run: node --import tsx bench/layer.bench.ts [writes=2000] [catchUpEntries=5000] [catchUpRounds=3] [--cold]
 *
 * 1. Local write latency: sequential PUTs to one layer node (HTTP, versioned Lua commit, log append, fsync'd AOF)
 *    next to sequential raw `SET`s to a Redis with the same persistence, from this same process. Also the two
 *    parts a PUT cannot do without, each alone: an HTTP no-op (GET /health), and, in a second run interleaved
 *    with raw SETs of its own (a fourth fsync in the first run's rhythm changed its figures), the layer's commit
 *    script sent from this process to another such Redis; what remains of a PUT is the node's own work.
 * 2. Replication catch-up after a partition: the peer region's node is paused (SIGSTOP) while the origin takes
 *    writes, then resumed; throughput is entries applied per second from the resume (and from the first progress)
 *    until fully caught up.
 *    Reference: a Redis replica (`replicaof`) paused the same way while its primary takes the same number of SETs.
 *    Layer and Redis rounds alternate and the median ratio is printed, since the machine's load moves a lot.
 */
import { Agent, request } from 'node:http';
import { Cluster } from '../test/layer/support/layer-process.ts';
import { RedisProcess } from '../test/layer/support/redis-process.ts';
import { COMMIT_GROUP } from '../layer/coordinator/scripts.ts';
import { K } from '../layer/store/redis.ts';
import { applyLocal } from '../layer/resolver/index.ts';

const positional = process.argv.slice(2).filter((a) => a !== '--cold');
const writes = Number(positional[0] ?? 2000);
const catchUp = Number(positional[1] ?? 5000);
const ROUNDS = Number(positional[2] ?? 3);
/**
 * Each catch-up round first runs one untimed catch-up of the same size on the same cluster (and on the same
 * replica): a fresh node process catching up runs its receive path for the first time, largely before V8 has
 * optimised it (about 3× the CPU per entry), which measures the JIT rather than catch-up. `--cold` skips it.
 */
const WARM_UP = !process.argv.includes('--cold');
if (!Number.isInteger(writes) || writes <= 0 || !Number.isInteger(catchUp) || catchUp <= 0 || !Number.isInteger(ROUNDS) || ROUNDS <= 0) {
  console.error('usage: node --import tsx bench/layer.bench.ts [writes] [catchUpEntries] [catchUpRounds] [--cold]');
  process.exit(64);
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });
function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(base + path, { method, agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const value = (i: number) => ({ i, pad: 'x'.repeat(96) });
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const f = (ms: number) => `${ms.toFixed(3)} ms`;

async function timeEach(n: number, op: (i: number) => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await op(i);
    out.push(performance.now() - t);
  }
  return out;
}

async function pool(n: number, width: number, op: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) await op(next++);
  }));
}

async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The layer's commit of one PUT of `bench/<i % 500>` as its coordinator sends it (checked against the key's change
 * counter, state and log entry written, one fsync), sent to `redis` from this process. `prepare` builds the
 * arguments (the node's work, not timed), `run` sends them.
 */
function commitScript(redis: ReturnType<RedisProcess['client']>) {
  const counters = new Map<string, number>();
  return {
    prepare(i: number): { key: string; args: (string | number)[] } {
      const key = `bench/${i % 500}`;
      const n = counters.get(key) ?? 0;
      const version = { hlc: { wall: Date.now(), logical: 0 }, region: 'us-east', seq: i + 1 };
      const r = applyLocal('lww', undefined, { op: 'put', value: value(i) }, { region: 'us-east', version, vclock: { 'us-east': n + 1 } });
      if (!r.ok) throw new Error(r.message);
      const json = JSON.stringify(r.stored);
      const items = `[{"key":${JSON.stringify(key)},"stored":${json}}]`;
      return { key, args: ['1', 'bench', Date.now(), 1, 1, items, String(n), '1', json] };
    },
    async run(c: { key: string; args: (string | number)[] }): Promise<void> {
      const res = (await COMMIT_GROUP.run(redis, [K.head, K.log, K.epoch, K.kv(c.key)], c.args)) as number[];
      if (!(res[0] > 0)) throw new Error(`commit script refused: ${JSON.stringify(res)}`);
      counters.set(c.key, (counters.get(c.key) ?? 0) + 1);
    },
  };
}

async function writeLatency(): Promise<void> {
  const cluster = await Cluster.start(['us-east'], { extra: { logLevel: 'error' } });
  const raw = await RedisProcess.start();
  const client = raw.client();
  const scriptRedis = await RedisProcess.start();
  const scriptClient = scriptRedis.client();
  try {
    await scriptClient.set(K.epoch, 'bench');
    const commit = commitScript(scriptClient);
    const node = cluster.nodes[0];
    const warm = Math.min(200, writes);
    await timeEach(warm, async (i) => void (await call(node.url, 'PUT', `/v1/kv/warm${i}`, { value: value(i) })));
    await timeEach(warm, async (i) => void (await client.set(`warm${i}`, JSON.stringify(value(i)))));
    await timeEach(warm, async (i) => commit.run(commit.prepare(i + writes)));
    // Interleaved op by op, so the load other processes put on the machine hits all three alike.
    const layer: number[] = [];
    const redis: number[] = [];
    const http: number[] = [];
    await timeEach(writes, async (i) => {
      let t = performance.now();
      const r = await call(node.url, 'PUT', `/v1/kv/bench/${i % 500}`, { value: value(i) });
      if (r.status !== 200) throw new Error(`PUT failed: ${r.status} ${r.text}`);
      layer.push(performance.now() - t);
      t = performance.now();
      await client.set(`bench/${i % 500}`, JSON.stringify(value(i)));
      redis.push(performance.now() - t);
      t = performance.now();
      await call(node.url, 'GET', '/health');
      http.push(performance.now() - t);
    });
    const script: number[] = [];
    const scriptSets: number[] = [];
    await timeEach(writes, async (i) => {
      const c = commit.prepare(i);
      let t = performance.now();
      await commit.run(c);
      script.push(performance.now() - t);
      t = performance.now();
      await client.set(`bench/${i % 500}`, JSON.stringify(value(i)));
      scriptSets.push(performance.now() - t);
    });
    console.log(`local write latency, ${writes} sequential writes of ~110-byte values, AOF appendfsync always, interleaved with the references:`);
    console.log(`  layer PUT          p50 ${f(pct(layer, 50))}  p99 ${f(pct(layer, 99))}`);
    console.log(`  raw Redis SET      p50 ${f(pct(redis, 50))}  p99 ${f(pct(redis, 99))}   (reference)`);
    console.log(`  HTTP no-op (GET /health) p50 ${f(pct(http, 50))}  p99 ${f(pct(http, 99))}`);
    console.log(`  ratio layer / raw  p50 ${(pct(layer, 50) / pct(redis, 50)).toFixed(2)}x  p99 ${(pct(layer, 99) / pct(redis, 99)).toFixed(2)}x`);
    const scriptRatio = pct(script, 50) / pct(scriptSets, 50);
    console.log(
      `  commit script alone p50 ${f(pct(script, 50))}  p99 ${f(pct(script, 99))}, raw SET p50 ${f(pct(scriptSets, 50))} in the same run: ` +
        `${scriptRatio.toFixed(2)}x   (the layer's Lua commit of one PUT, from this process)`,
    );
    const httpRatio = pct(http, 50) / pct(redis, 50);
    const putRatio = pct(layer, 50) / pct(redis, 50);
    console.log(
      `  a PUT's p50 in raw SETs: HTTP no-op ${httpRatio.toFixed(2)}x + commit script ${scriptRatio.toFixed(2)}x + the rest ` +
        `(the node's own work) ${(putRatio - httpRatio - scriptRatio).toFixed(2)}x = ${putRatio.toFixed(2)}x`,
    );
  } finally {
    client.disconnect();
    scriptClient.disconnect();
    await raw.dispose();
    await scriptRedis.dispose();
    await cluster.dispose();
  }
}

interface CatchUp {
  entries: number;
  /** From resuming the paused peer until it has everything. */
  totalSecs: number;
  /** From the first replicated entry landing until the last: the apply rate once shipping runs. */
  steadySecs: number;
}

/** Polls `progress` every few ms after `resume()` until it reaches `target`. */
async function watchCatchUp(progress: () => Promise<number>, start: number, target: number, resume: () => void): Promise<CatchUp> {
  resume();
  const t0 = performance.now();
  let first = 0;
  let cur = start;
  while (cur < target) {
    if (performance.now() - t0 > 120_000) throw new Error(`catch-up stalled at ${cur}/${target}`);
    await new Promise((r) => setTimeout(r, 2));
    cur = await progress();
    if (!first && cur > start) first = performance.now();
  }
  const end = performance.now();
  return { entries: target - start, totalSecs: (end - t0) / 1000, steadySecs: Math.max((end - first) / 1000, 1e-3) };
}

function show(name: string, c: CatchUp, unit: string, note = ''): void {
  console.log(
    `  ${name.padEnd(18)} ${c.entries.toLocaleString('en')} ${unit}: resume→caught up ${c.totalSecs.toFixed(3)} s = ` +
      `${Math.round(c.entries / c.totalSecs).toLocaleString('en')} ${unit}/s; steady ${Math.round(c.entries / c.steadySecs).toLocaleString('en')} ${unit}/s${note}`,
  );
}

async function layerCatchUp(): Promise<CatchUp> {
  const cluster = await Cluster.start(['us-east', 'eu-west'], { extra: { logLevel: 'error', peerTimeoutMs: 300 } });
  // Progress is read from the peer's Redis directly, so watching does not load the node being measured.
  const peerRedis = cluster.nodes[1].redis.client();
  try {
    const [a, b] = cluster.nodes;
    const applied = async () => Number((await peerRedis.hget('rift:applied', 'us-east')) ?? 0);
    const round = async (prefix: string, timed: boolean): Promise<CatchUp> => {
      const start = await applied();
      b.signal('SIGSTOP');
      await pool(catchUp, 8, async (i) => {
        const r = await call(a.url, 'PUT', `/v1/kv/${prefix}/${i}`, { value: value(i) });
        if (r.status !== 200) throw new Error(`PUT failed: ${r.status} ${r.text}`);
      });
      const head = JSON.parse((await call(a.url, 'GET', '/digest')).text).applied['us-east'] as number;
      const c = await watchCatchUp(applied, start, head, () => b.signal('SIGCONT'));
      if (timed) show('layer shipper', c, 'entries');
      return c;
    };
    // Untimed first: a region catching up has been running, so its code is past the JIT's warm-up (WARM_UP).
    if (WARM_UP) await round('cu-warm', false);
    return await round('cu', true);
  } finally {
    peerRedis.disconnect();
    await cluster.dispose();
  }
}

async function redisCatchUp(): Promise<CatchUp> {
  const primary = await RedisProcess.start();
  const replica = await RedisProcess.start();
  const p = primary.client();
  const r = replica.client();
  try {
    await r.config('SET', 'masterauth', primary.password);
    await r.replicaof('127.0.0.1', primary.port);
    await until(async () => /master_link_status:up/.test(await r.info('replication')), 20_000, 'replica link');
    const keys = async () => Number(/keys=(\d+)/.exec(await r.info('keyspace'))?.[1] ?? 0);
    const round = async (prefix: string, timed: boolean): Promise<CatchUp> => {
      const start = await keys();
      process.kill(replica.pid as number, 'SIGSTOP');
      await pool(catchUp, 8, async (i) => void (await p.set(`${prefix}/${i}`, JSON.stringify(value(i)))));
      const c = await watchCatchUp(keys, start, start + catchUp, () => process.kill(replica.pid as number, 'SIGCONT'));
      if (timed) show('Redis replicaof', c, 'keys', '   (reference)');
      return c;
    };
    // The same untimed round first, so both sides are measured alike.
    if (WARM_UP) await round('cu-warm', false);
    return await round('cu', true);
  } finally {
    p.disconnect();
    r.disconnect();
    await replica.dispose();
    await primary.dispose();
  }
}

await writeLatency();
console.log(`replication catch-up after a partition (peer paused while ${catchUp} writes land), ${ROUNDS} rounds alternating layer and Redis:`);
const rate = (c: CatchUp, secs: number) => c.entries / secs;
const totalRatios: number[] = [];
const steadyRatios: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const layer = await layerCatchUp();
  const redis = await redisCatchUp();
  totalRatios.push(rate(layer, layer.totalSecs) / rate(redis, redis.totalSecs));
  steadyRatios.push(rate(layer, layer.steadySecs) / rate(redis, redis.steadySecs));
}
console.log(
  `  ratio layer / raw (median of ${ROUNDS})  resume→caught up ${pct(totalRatios, 50).toFixed(3)}x, steady ${pct(steadyRatios, 50).toFixed(3)}x`,
);
agent.destroy();
