import { strict as assert } from 'node:assert';
import { Cluster, eventually, http } from '../support/layer-process.ts';

/** Found by Rift's own list-append run (Elle reported internal and G1b): a second write to a key in one txn vanished. */
describe('layer txn: several writes to one key in one transaction (2 real regions)', function () {
  this.timeout(60_000);
  let cluster: Cluster;
  const url = (i: number) => cluster.nodes[i].url;
  before(async () => { cluster = await Cluster.start(['us-east', 'eu-west']); });
  after(async () => { await cluster?.dispose(); });

  it('keeps every append, sees its own writes, and replicates them all', async () => {
    const t = await http(url(0), 'POST', '/v1/txn', { ops: [['append', 'list/z', 1], ['append', 'list/y', 9], ['append', 'list/z', 2], ['r', 'list/z', null]] });
    assert.equal(t.status, 200, t.text);
    assert.deepEqual(t.body.ops[3], ['r', 'list/z', [1, 2]]);
    const w = await http(url(0), 'POST', '/v1/txn', { ops: [['w', 'reg/w', 'a'], ['w', 'reg/w', 'b'], ['r', 'reg/w', null]] });
    assert.deepEqual(w.body.ops[2], ['r', 'reg/w', 'b']);
    for (const i of [0, 1]) {
      await eventually(async () => {
        const r = await http(url(i), 'POST', '/v1/txn', { ops: [['r', 'list/z', null], ['r', 'reg/w', null]] });
        return JSON.stringify(r.body.ops) === JSON.stringify([['r', 'list/z', [1, 2]], ['r', 'reg/w', 'b']]);
      }, 10_000, `region ${i} holds both appends and the last write`);
    }
  });
});
