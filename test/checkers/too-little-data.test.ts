import { strict as assert } from 'node:assert';
import { checkerNames, createChecker } from '../../checkers/registry.ts';
import { tooLittleData } from '../../checkers/too-little-data.ts';
import { indexOps } from '../../harness/history/reader.ts';
import type { Op } from '../../harness/core/op.ts';

let t = 0;
const ev = (o: Omit<Op, 'time'>): Op => ({ ...o, time: (t += 1e6) });
const nemesisOnly: Op[] = [
  ev({ type: 'invoke', process: 'nemesis', f: 'kill', value: 'a' }),
  ev({ type: 'info', process: 'nemesis', f: 'kill', value: 'a', meta: { tookEffect: true } }),
];
const invokesOnly: Op[] = [0, 1, 2].map((p) => ev({ type: 'invoke', process: p, f: p === 0 ? 'write' : 'read', key: 'k', value: p === 0 ? 1 : null, region: 'a' }));
const failsOnly: Op[] = [0, 1].flatMap((p) => [
  ev({ type: 'invoke', process: p, f: 'add', key: 'set/k', value: p, region: 'a' }),
  ev({ type: 'fail', process: p, f: 'add', key: 'set/k', value: p, region: 'a', error: 'refused' }),
]);
const probesOnly: Op[] = [
  ev({ type: 'invoke', process: 1_000_000, f: 'digest', value: null, region: 'a', meta: { probe: true } }),
  ev({ type: 'ok', process: 1_000_000, f: 'digest', value: { digest: 'x', applied: { a: 0 } }, region: 'a', meta: { probe: true } }),
];

const CASES: [string, Op[]][] = [['empty', []], ['only nemesis events', nemesisOnly], ['only invokes', invokesOnly], ['only fails', failsOnly], ['only probes', probesOnly]];

describe('too little data is unknown, for every checker', () => {
  for (const name of checkerNames()) {
    for (const [what, ops] of CASES) {
      it(`${name}: ${what} → unknown with a reason`, async () => {
        const r = await (await createChecker(name, { model: 'register' })).check(indexOps(ops), {});
        assert.equal(r.valid, 'unknown', `${name} on ${what}: ${JSON.stringify(r).slice(0, 300)}`);
        assert.ok(typeof r.reason === 'string' && r.reason.length > 0, 'the reason is given');
      });
    }
  }

  it('tooLittleData counts ok client operations only, and names what it counted and what it needs', () => {
    const ok: Op[] = [ev({ type: 'invoke', process: 0, f: 'read', key: 'k', value: null }), ev({ type: 'ok', process: 0, f: 'read', key: 'k', value: null })];
    const h = indexOps([...nemesisOnly, ...probesOnly, ...failsOnly, ...ok]);
    assert.equal(tooLittleData(h, { count: 1, what: 'ok operations' }), undefined);
    const r = tooLittleData(h, { count: 2, what: 'ok reads', counts: (op) => op.f === 'read' })!;
    assert.equal(r.valid, 'unknown');
    assert.equal(r.reason, 'too little data: 1 ok reads, at least 2 needed to reach a verdict');
  });
});
