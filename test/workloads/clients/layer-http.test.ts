import { strict as assert } from 'node:assert';
import { layerClient } from '../../../workloads/clients/layer-http.ts';
import { Cluster } from '../../layer/support/layer-process.ts';
import type { Op } from '../../../harness/core/op.ts';

const op = (f: string, key: string, value: unknown): Op => ({ type: 'invoke', process: 0, f, key, value, time: 0 });

describe('workloads/clients/layer-http against a real layer node', function () {
  this.timeout(60_000);
  let cluster: Cluster;
  before(async () => {
    cluster = await Cluster.start(['us-east'], { extra: { logLevel: 'error' } });
  });
  after(async () => cluster?.dispose());

  it('a delete is acknowledged with its tombstone\'s version, which the next read reports with null', async () => {
    const client = await layerClient({ 'us-east': { host: '127.0.0.1', port: cluster.nodes[0].port } }).open('us-east', 0);
    const signal = new AbortController().signal;
    const put = await client.invoke(op('write', 'lww/del', 7), signal);
    assert.equal(put.type, 'ok');
    const del = await client.invoke(op('delete', 'lww/del', null), signal);
    assert.equal(del.type, 'ok', del.error);
    assert.equal(del.value, null);
    const version = del.meta?.version;
    assert.equal(typeof version, 'string');
    assert.ok((version as string) > (put.meta?.version as string), 'the delete is versioned after the write it follows');
    const read = await client.invoke(op('read', 'lww/del', null), signal);
    assert.deepEqual([read.type, read.value, read.meta?.version], ['ok', null, version]);
  });
});
