import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { Cluster, eventually, http, settledValue, type LayerProcess } from '../support/layer-process.ts';

const REGIONS = ['us-east', 'eu-west', 'ap-south'];
const TRIM = { logTrimIntervalMs: 100 };

/** The region's own replication log, checkpoints and head, read straight from its Redis. */
async function logState(redis: Redis): Promise<{ head: number; length: number; first: number | null; ckpt: Record<string, number> }> {
  const [head, length, first, ckpt] = await Promise.all([
    redis.get('rift:head'),
    redis.xlen('rift:log'),
    redis.xrange('rift:log', '-', '+', 'COUNT', 1),
    redis.hgetall('rift:ckpt'),
  ]);
  return {
    head: Number(head ?? 0),
    length,
    first: first.length ? Number(first[0][0].split('-')[0]) : null,
    ckpt: Object.fromEntries(Object.entries(ckpt).map(([k, v]) => [k, Number(v)])),
  };
}

async function metric(node: LayerProcess, line: RegExp): Promise<number | null> {
  const m = (await http(node.url, 'GET', '/metrics')).text.match(line);
  return m ? Number(m[1]) : null;
}

async function writeMany(node: LayerProcess, prefix: string, n: number): Promise<Map<string, number>> {
  const acked = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const r = await http(node.url, 'PUT', `/v1/kv/${prefix}/${i}`, { value: i });
    assert.equal(r.status, 200, r.text);
    acked.set(`${prefix}/${i}`, i);
  }
  return acked;
}

/** Waits until the region holds every acknowledged value, then checks each one. */
async function holdsAll(node: LayerProcess, acked: Map<string, number>): Promise<void> {
  const [lastKey, lastValue] = [...acked].at(-1)!;
  await eventually(async () => (await http(node.url, 'GET', `/v1/kv/${lastKey}`)).body.value === lastValue, 20_000, `${node.region} to receive ${lastKey}`);
  for (const [key, value] of acked) assert.equal(await settledValue(node.url, `/v1/kv/${key}`), value, `${node.region} ${key}`);
}

function dumpOnFailure(get: () => Cluster | undefined) {
  return function (this: Mocha.Context) {
    if (this.currentTest?.state === 'failed') for (const n of get()?.nodes ?? []) console.log(`--- ${n.region}\n${n.output.slice(-3000)}`);
  };
}

describe('replication log trimming (real redis-servers and nodes)', function () {
  this.timeout(120_000);

  describe('with every peer reachable or briefly cut off', () => {
    let cluster: Cluster;
    const redis: Redis[] = [];
    before(async () => {
      cluster = await Cluster.start(REGIONS, { proxied: true, extra: TRIM });
      for (const n of cluster.nodes) redis.push(n.redis.client());
    });
    afterEach(dumpOnFailure(() => cluster));
    after(async () => {
      for (const r of redis) r.disconnect();
      await cluster?.dispose();
    });

    it('trims the log to what every peer confirmed once writes have replicated', async () => {
      const [a, b, c] = cluster.nodes;
      const acked = await writeMany(a, 'all', 60);
      const fromB = await writeMany(b, 'fromb', 10);
      await eventually(async () => {
        const s = await logState(redis[0]);
        return s.head === 60 && s.ckpt['eu-west'] === 60 && s.ckpt['ap-south'] === 60;
      }, 15_000, 'both peers to confirm us-east\'s 60 entries');
      await eventually(async () => (await logState(redis[0])).length === 0, 5_000, 'us-east log trimmed');
      await eventually(async () => (await logState(redis[1])).length === 0, 5_000, 'eu-west log trimmed');
      const info = (await redis[0].xinfo('STREAM', 'rift:log')) as unknown[];
      assert.equal(info[info.indexOf('last-generated-id') + 1], '60-0', 'the log keeps its id sequence');
      assert.equal(await metric(a, /^rift_log_trimmed_seq (\d+)$/m), 60);
      assert.equal(await metric(a, /^rift_log_entries (\d+)$/m), 0);
      for (const n of [b, c]) await holdsAll(n, acked);
      for (const n of [a, c]) await holdsAll(n, fromB);

      // New writes after a full trim append after the trimmed ids and replicate as before.
      const more = await writeMany(a, 'more', 5);
      await eventually(async () => {
        const s = await logState(redis[0]);
        return s.head === 65 && s.length === 0;
      }, 10_000, 'the next writes confirmed and trimmed');
      for (const n of [b, c]) await holdsAll(n, more);
    });

    it('keeps everything a cut-off peer has not confirmed, and that peer catches up after heal', async () => {
      const [a, b] = cluster.nodes;
      const start = (await logState(redis[0])).head;
      cluster.isolate('eu-west');
      const acked = await writeMany(a, 'cut', 50);
      const head = start + 50;
      await eventually(async () => (await logState(redis[0])).ckpt['ap-south'] === head, 15_000, 'ap-south to confirm everything');
      // Several trim passes with ap-south fully caught up: only eu-west's checkpoint holds the log back.
      await new Promise((r) => setTimeout(r, 500));
      const s = await logState(redis[0]);
      const mark = s.ckpt['eu-west'];
      assert.ok(mark < head, `eu-west confirmed ${mark} of ${head} while cut off`);
      assert.equal(s.first, mark + 1, 'the log starts right after what eu-west confirmed');
      assert.equal(s.length, head - mark, 'every entry eu-west has not confirmed is still there');
      assert.equal(await metric(a, /^rift_log_trimmed_seq (\d+)$/m), mark);

      cluster.isolate('eu-west', false);
      await holdsAll(b, acked);
      await eventually(async () => (await logState(redis[0])).length === 0, 10_000, 'log trimmed after eu-west caught up');
      assert.equal(await metric(a, /^rift_replication_stalled\{peer="eu-west"\} (\d+)$/m), 0);
    });

    it('keeps everything a killed peer has not confirmed, and that peer catches up after restart', async () => {
      const [a, b, c] = cluster.nodes;
      const start = (await logState(redis[0])).head;
      await b.kill();
      const acked = await writeMany(a, 'down', 40);
      const head = start + 40;
      await eventually(async () => (await logState(redis[0])).ckpt['ap-south'] === head, 15_000, 'ap-south to confirm everything');
      await new Promise((r) => setTimeout(r, 500));
      const s = await logState(redis[0]);
      assert.equal(s.first, s.ckpt['eu-west'] + 1);
      assert.equal(s.length, head - s.ckpt['eu-west']);
      assert.ok(s.length >= 40, `${s.length} entries kept for eu-west`);

      await b.start();
      await holdsAll(b, acked);
      await holdsAll(c, acked);
      await eventually(async () => (await logState(redis[0])).length === 0, 10_000, 'log trimmed after eu-west caught up');
      await eventually(async () => {
        const ds = await Promise.all(cluster.nodes.map((n) => http(n.url, 'GET', '/digest')));
        return new Set(ds.map((d) => d.body.digest)).size === 1;
      }, 15_000, 'digests to agree');
    });
  });

  describe('with a peer that lost its state', () => {
    let cluster: Cluster;
    let usEast: Redis;
    before(async () => {
      cluster = await Cluster.start(REGIONS, { extra: { ...TRIM, logLevel: 'info' } });
      usEast = cluster.nodes[0].redis.client();
    });
    afterEach(dumpOnFailure(() => cluster));
    after(async () => {
      usEast?.disconnect();
      await cluster?.dispose();
    });

    it('re-seeds a wiped peer from every region when it restarts, so it holds what the trimmed log no longer has', async () => {
      const [a, b, c] = cluster.nodes;
      const acked = await writeMany(a, 'pre', 30);
      await eventually(async () => (await logState(usEast)).length === 0 && (await logState(usEast)).head === 30, 15_000, 'log confirmed and trimmed');

      // eu-west's Redis is wiped: us-east's log starts after 30, so only a snapshot can bring those entries back.
      await b.kill();
      await b.redis.kill();
      rmSync(join(b.redis.dir, 'appendonlydir'), { recursive: true, force: true });
      await b.redis.restart();
      await b.start();
      assert.match(b.output, /"msg":"re-seeded from peers"/);
      assert.equal((await http(b.url, 'GET', '/digest')).body.applied['us-east'], 30, 'the snapshot covers us-east up to its head');
      await holdsAll(b, acked);
      const after = await writeMany(a, 'post', 3);
      for (const n of [b, c]) await holdsAll(n, after);
      await eventually(async () => (await logState(usEast)).ckpt['eu-west'] === 33, 10_000, 'eu-west to confirm the next writes');
      assert.equal(await metric(a, /^rift_replication_stalled\{peer="eu-west"\} (\d+)$/m), 0);
    });

    it('stops shipping to a peer that applied less than the trimmed log holds, asks it to re-seed, and resumes', async () => {
      const [a, b, c] = cluster.nodes;
      const before = (await logState(usEast)).head;
      const acked = await writeMany(a, 'behind', 20);
      await eventually(async () => (await logState(usEast)).length === 0 && (await logState(usEast)).head === before + 20, 15_000, 'log confirmed and trimmed');

      // eu-west comes back having lost its last writes (as with appendfsync everysec): its applied mark for
      // us-east and the keys behind it are gone, but the data set is not empty, so it does not re-seed on start.
      await b.kill();
      const bRedis = b.redis.client();
      try {
        await bRedis.hset('rift:applied', 'us-east', String(before));
        for (const key of acked.keys()) await bRedis.del(`rift:kv:${key}`);
      } finally {
        bRedis.disconnect();
      }
      await b.start();
      await writeMany(a, 'nudge', 1);
      await eventually(async () => /"msg":"peer needs re-seed[^\n]*"peer":"eu-west"/.test(a.output), 10_000, 'us-east to report eu-west needs a re-seed');
      assert.match(a.output, new RegExp(`"msg":"peer needs re-seed[^\\n]*"peer":"eu-west"[^\\n]*"missingFrom":${before + 1},`));
      await eventually(async () => /"msg":"peer re-seeded: shipping resumes"[^\n]*"peer":"eu-west"/.test(a.output), 15_000, 'shipping to eu-west to resume');
      assert.match(b.output, /"msg":"pulled a snapshot"[^\n]*"peer":"us-east"/);
      await holdsAll(b, acked);
      await eventually(async () => (await metric(a, /^rift_replication_stalled\{peer="eu-west"\} (\d+)$/m)) === 0, 10_000, 'stall cleared');
      assert.deepEqual(((await http(a.url, 'GET', '/health')).body as { stalled: object }).stalled, {});
      const later = await writeMany(a, 'later', 5);
      for (const n of [b, c]) await holdsAll(n, later);
      await eventually(async () => (await logState(usEast)).length === 0, 10_000, 'log trimmed again');
      await eventually(async () => {
        const ds = await Promise.all(cluster.nodes.map((n) => http(n.url, 'GET', '/digest')));
        return new Set(ds.map((d) => d.body.digest)).size === 1;
      }, 15_000, 'digests to agree');
    });
  });
});
