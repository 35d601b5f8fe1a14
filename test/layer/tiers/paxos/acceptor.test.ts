import { strict as assert } from 'node:assert';
import type { Redis } from 'ioredis';
import { RedisAcceptor } from '../../../../layer/tiers/paxos/acceptor.ts';
import { makeBallot, tieSlot } from '../../../../layer/tiers/paxos/ballot.ts';
import { Failpoints, MessageDropped } from '../../../../layer/failpoints/registry.ts';
import { connectRedis } from '../../../../layer/store/redis.ts';
import { RedisProcess } from '../../support/redis-process.ts';

const noCrash = (name: string): never => {
  throw new Error(`unexpected crash at ${name}`);
};

/** The acceptor's Lua rules against a real Redis, correct and with each consensus bug switch. */
describe('paxos acceptor (Redis)', function () {
  this.timeout(30_000);
  let server: RedisProcess;
  let redis: Redis;
  let n = 0;
  before(async () => {
    server = await RedisProcess.start();
    redis = connectRedis('127.0.0.1', server.port, server.password);
  });
  after(async () => {
    redis?.disconnect();
    await server?.dispose();
  });
  const acceptor = (o: { forgetPromise?: boolean; roundOnly?: boolean; failpoints?: Failpoints } = {}) =>
    new RedisAcceptor(redis, { failpoints: o.failpoints ?? new Failpoints(noCrash), forgetPromise: o.forgetPromise ?? false, roundOnly: o.roundOnly ?? false });
  const key = () => `k${++n}`;

  it('keeps its promise: an older ballot is refused at prepare and at accept, and reports the promise', async () => {
    const a = acceptor();
    const k = key();
    assert.deepEqual(await a.prepare(k, makeBallot(5, 1)), { ok: true, accepted: 0, value: '' });
    assert.deepEqual(await a.prepare(k, makeBallot(4, 2)), { ok: false, promised: makeBallot(5, 1) });
    assert.deepEqual(await a.accept(k, makeBallot(4, 2), '"x"'), { ok: false, promised: makeBallot(5, 1) });
    assert.deepEqual(await a.accept(k, makeBallot(5, 1), '"y"'), { ok: true });
    assert.deepEqual(await a.prepare(k, makeBallot(6, 0)), { ok: true, accepted: makeBallot(5, 1), value: '"y"' });
  });

  it('breaks ties between proposers of the same round by region', async () => {
    const a = acceptor();
    const k = key();
    assert.equal((await a.prepare(k, makeBallot(7, 2))).ok, true);
    assert.equal((await a.prepare(k, makeBallot(7, 1))).ok, false, 'same round, lower region: refused');
  });

  it('acceptor-forgets-promise: the older ballot\'s accept passes after a newer prepare', async () => {
    const a = acceptor({ forgetPromise: true });
    const k = key();
    assert.equal((await a.prepare(k, makeBallot(5, 1))).ok, true);
    assert.deepEqual(await a.accept(k, makeBallot(4, 2), '"x"'), { ok: true });
  });

  it('ballot-round-only: two proposers of the same round both win prepare and accept', async () => {
    const a = acceptor({ roundOnly: true });
    const k = key();
    assert.equal((await a.prepare(k, makeBallot(7, 2))).ok, true);
    assert.equal((await a.prepare(k, makeBallot(7, 1))).ok, true);
    assert.deepEqual(await a.accept(k, makeBallot(7, 2), '"a"'), { ok: true });
    assert.deepEqual(await a.accept(k, makeBallot(7, 1), '"b"'), { ok: true });
    assert.equal((await a.prepare(k, makeBallot(6, 2))).ok, false, 'an older round is still refused');
  });

  it('failpoint drop before the promise: nothing is persisted; drop before the reply: it is', async () => {
    const failpoints = new Failpoints(noCrash);
    const a = acceptor({ failpoints });
    const k = key();
    failpoints.arm({ name: 'paxos-before-promise', action: 'drop' });
    await assert.rejects(a.prepare(k, makeBallot(3, 0)), MessageDropped);
    assert.equal((await a.prepare(k, makeBallot(2, 0))).ok, true, 'the dropped promise was never made');
    failpoints.arm({ name: 'paxos-acceptor-reply', action: 'drop' });
    await assert.rejects(a.prepare(k, makeBallot(9, 0)), MessageDropped);
    assert.deepEqual(await a.prepare(k, makeBallot(8, 0)), { ok: false, promised: makeBallot(9, 0) }, 'the promise was kept though its reply was lost');
  });

  it('tie slots are a permutation of the proposers in every round, and the round-winner rotates', () => {
    for (let round = 1; round < 20; round++) {
      assert.deepEqual([0, 1, 2].map((i) => tieSlot(round, i, 3)).sort(), [0, 1, 2]);
    }
    const winners = [1, 2, 3].map((round) => [0, 1, 2].reduce((best, i) => (tieSlot(round, i, 3) > tieSlot(round, best, 3) ? i : best), 0));
    assert.equal(new Set(winners).size, 3, `tie winners by round: ${winners}`);
  });
});
