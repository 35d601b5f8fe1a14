import { strict as assert } from 'node:assert';
import type { Client, Completion } from '../../../harness/core/client.ts';
import type { Op } from '../../../harness/core/op.ts';
import type { Nemesis } from '../../../harness/core/nemesis.ts';
import { interpret } from '../../../harness/generator/interpreter.ts';
import { clientOps, each, eachInRegion, limit, nemesisOps, sleep, untilOkInRegion } from '../../../harness/generator/basic.ts';
import { any, mix, phases } from '../../../harness/generator/compose.ts';
import { stagger, timeLimit } from '../../../harness/generator/time.ts';
import { seededRandom } from '../../../harness/core/random.ts';
import { pairOps } from '../../../harness/history/pairs.ts';
import { indexOps } from '../../../harness/history/reader.ts';

/** An in-process register store: enough to exercise the interpreter's bookkeeping, not a system under test. */
class MemoryClient implements Client {
  constructor(private readonly store: Map<string, unknown>, private readonly behave: (op: Op) => 'ok' | 'info' | 'fail' = () => 'ok', private readonly delayMs = 1) {}
  async open(): Promise<Client> { return new MemoryClient(this.store, this.behave, this.delayMs); }
  async invoke(op: Op): Promise<Completion> {
    await new Promise((r) => setTimeout(r, this.delayMs));
    const outcome = this.behave(op);
    if (outcome !== 'ok') return { type: outcome, value: null, error: 'injected' };
    if (op.f === 'write') { this.store.set(op.key!, op.value); return { type: 'ok', value: op.value }; }
    return { type: 'ok', value: this.store.get(op.key!) ?? null };
  }
  async close(): Promise<void> {}
}

const start = process.hrtime.bigint();
const now = () => Number(process.hrtime.bigint() - start);

async function run(gen: Parameters<typeof interpret>[0]['generator'], client: Client, extra: Partial<Parameters<typeof interpret>[0]> = {}) {
  const events: Op[] = [];
  const stats = await interpret({
    generator: gen, concurrency: 4, regions: ['a', 'b'], client, record: (op) => events.push(op),
    now, random: seededRandom(7), opTimeoutMs: 1000, ...extra,
  });
  return { events, stats };
}

describe('generator interpreter', () => {
  it('completes every invoke once, in per-process order, and counts what it did', async () => {
    const { events, stats } = await run(limit(40, clientOps(() => ({ f: 'write', key: 'x', value: 1 }))), new MemoryClient(new Map()));
    assert.equal(stats.invoked, 40);
    assert.equal(stats.completed.ok, 40);
    const pairs = pairOps(indexOps(events));
    assert.equal(pairs.length, 40);
    assert.ok(pairs.every((p) => p.complete && p.complete.time >= p.invoke.time));
    const times = events.map((e) => e.time);
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'file order is time order');
  });

  it('retires a process after info and continues under process + concurrency', async () => {
    let n = 0;
    const { events } = await run(limit(20, clientOps(() => ({ f: 'read', key: 'x', value: null }))), new MemoryClient(new Map(), () => (n++ % 5 === 2 ? 'info' : 'ok')));
    const infos = events.filter((e) => e.type === 'info');
    assert.ok(infos.length > 0);
    for (const info of infos) {
      const later = events.filter((e) => e.time > info.time && e.process === info.process);
      assert.equal(later.length, 0, `process ${info.process} was used after its info`);
    }
    assert.ok(events.some((e) => typeof e.process === 'number' && e.process >= 4), 'a fresh process id appeared');
    assert.doesNotThrow(() => pairOps(indexOps(events)));
  });

  it('records a client that never returns as info after the op timeout', async () => {
    const hang: Client = { open: async () => hang, invoke: () => new Promise(() => undefined), close: async () => undefined };
    const { events } = await run(limit(1, clientOps(() => ({ f: 'read', key: 'x', value: null }))), hang, { opTimeoutMs: 50 });
    assert.equal(events.length, 2);
    assert.equal(events[1].type, 'info');
    assert.match(String(events[1].error), /timeout/);
  });

  it('aborts a running client when the run stops, and records one that ignores it as info after the grace period', async () => {
    const seen: AbortSignal[] = [];
    const deaf: Client = { open: async () => deaf, invoke: (_op, signal) => (seen.push(signal!), new Promise(() => undefined)), close: async () => undefined };
    const stop = new AbortController();
    setTimeout(() => stop.abort(new Error('interrupted')), 50);
    const t0 = performance.now();
    const { events } = await run(limit(1, clientOps(() => ({ f: 'read', key: 'x', value: null }))), deaf, { opTimeoutMs: 60_000, signal: stop.signal });
    const took = performance.now() - t0;
    assert.equal(seen.length, 1);
    assert.ok(seen[0].aborted, "the client's signal was aborted by the stop");
    assert.equal(events.at(-1)?.type, 'info');
    assert.match(String(events.at(-1)?.error), /did not return/);
    assert.ok(took < 30_000, `released ${took.toFixed(0)} ms after the start, long before the 60 s operation timeout`);
  });

  it('starts a phase only after every operation of the previous one completed', async () => {
    const gen = phases(
      limit(12, clientOps(() => ({ f: 'write', key: 'x', value: 1 }))),
      each([{ f: 'read', key: 'x', value: null, meta: { final: true } }]),
    );
    const { events } = await run(gen, new MemoryClient(new Map(), () => 'ok', 5));
    const finalInvoke = events.findIndex((e) => e.type === 'invoke' && e.meta?.final);
    const lastWriteDone = events.map((e, i) => (e.f === 'write' && e.type === 'ok' ? i : -1)).reduce((a, b) => Math.max(a, b));
    assert.ok(finalInvoke > lastWriteDone);
  });

  it('sends region-bound final reads to processes of that region', async () => {
    const gen = eachInRegion(['a', 'b', 'a', 'b'].map((region) => ({ f: 'read', key: 'x', value: null, region })));
    const { events } = await run(gen, new MemoryClient(new Map()));
    for (const e of events) assert.equal(e.region, (e.process as number) % 2 === 0 ? 'a' : 'b');
  });

  it('retries a region-bound read that failed or timed out until it is ok, within its attempts', async () => {
    const failsLeft = new Map([['a', 2], ['b', 20]]);
    const client = new MemoryClient(new Map(), (op) => {
      const n = failsLeft.get(op.region!)!;
      failsLeft.set(op.region!, n - 1);
      return n > 0 ? (n % 2 === 0 ? 'fail' : 'info') : 'ok';
    });
    const gen = untilOkInRegion([{ f: 'read', key: 'x', value: null, region: 'a' }, { f: 'read', key: 'x', value: null, region: 'b' }], { attempts: 4, retryMs: 5 });
    const { events } = await run(gen, client);
    const done = (region: string) => events.filter((e) => e.type !== 'invoke' && e.region === region).map((e) => e.type);
    assert.deepEqual(done('a'), ['fail', 'info', 'ok'], 'region a: retried until ok');
    assert.deepEqual(done('b'), ['fail', 'info', 'fail', 'info'], 'region b: gave up after 4 attempts');
  });

  it('runs nemesis operations on the nemesis process alongside clients and records whether they took effect', async () => {
    const seen: string[] = [];
    const nemesis: Nemesis = {
      fs: new Set(['partition', 'heal']),
      invoke: async (op) => { seen.push(op.f); return { value: `did ${op.f}`, tookEffect: op.f === 'partition' }; },
      teardown: async () => undefined,
    };
    const plan = [{ f: 'partition', value: null }, { f: 'heal', value: null }];
    const gen = any(
      timeLimit(60, stagger(2, clientOps(() => ({ f: 'read', key: 'x', value: null })))),
      nemesisOps((ctx) => { const next = plan.shift(); return next && { op: next, at: ctx.time + 10e6 }; }),
    );
    const { events } = await run(gen, new MemoryClient(new Map()), { nemesis });
    assert.deepEqual(seen, ['partition', 'heal']);
    const infos = events.filter((e) => e.process === 'nemesis' && e.type === 'info');
    assert.deepEqual(infos.map((e) => [e.f, e.meta?.tookEffect]), [['partition', true], ['heal', false]]);
    assert.ok(events.some((e) => e.f === 'read'));
  });

  it('waits out a sleep between phases', async () => {
    const gen = phases(each([{ f: 'read', key: 'x', value: null }]), sleep(30), each([{ f: 'read', key: 'y', value: null }]));
    const { events } = await run(gen, new MemoryClient(new Map()));
    const done = events.find((e) => e.key === 'x' && e.type === 'ok')!;
    const next = events.find((e) => e.key === 'y' && e.type === 'invoke')!;
    assert.ok(next.time - done.time >= 30e6);
  });

  it('makes the same choices from the same seed', async () => {
    const ops = async (seed: number) => {
      const gen = limit(50, mix([
        { weight: 1, gen: clientOps((ctx) => ({ f: 'read', key: `k${Math.floor(ctx.random() * 3)}`, value: null })) },
        { weight: 1, gen: clientOps((ctx) => ({ f: 'write', key: `k${Math.floor(ctx.random() * 3)}`, value: Math.floor(ctx.random() * 100) })) },
      ]));
      const { events } = await run(gen, new MemoryClient(new Map()), { random: seededRandom(seed) });
      return events.filter((e) => e.type === 'invoke').map((e) => `${e.f}:${e.key}:${e.value}`);
    };
    assert.deepEqual(await ops(11), await ops(11));
    assert.notDeepEqual(await ops(11), await ops(12));
  });
});
