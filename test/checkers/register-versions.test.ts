import { strict as assert } from 'node:assert';
import { checkRegisterVersions, registerVersionsChecker } from '../../checkers/register-versions.ts';
import { indexOps } from '../../harness/history/reader.ts';
import type { Op } from '../../harness/core/op.ts';

let t = 0;
const tick = () => (t += 1e6);
const write = (process: number, v: number, type: 'ok' | 'info', version?: string, f = 'write'): Op[] => [
  { type: 'invoke', process, f, key: 'r', value: v, time: tick(), region: 'a' },
  { type, process, f, key: 'r', value: v, time: tick(), region: 'a', ...(version ? { meta: { version } } : {}) },
];
const read = (process: number, value: unknown, version: string | undefined, region = 'a'): Op[] => [
  { type: 'invoke', process, f: 'read', key: 'r', value: null, time: tick(), region },
  { type: 'ok', process, f: 'read', key: 'r', value, time: tick(), region, ...(version ? { meta: { version } } : {}) },
];

describe('checkers/register-versions', () => {
  it('valid when each read shows the write of the version it reports; unknown-outcome writes and null reads are skipped', () => {
    const h = indexOps([
      ...read(9, null, undefined),
      ...write(0, 1, 'ok', 'v1.a'),
      ...write(1, 2, 'ok', 'v1.b'),
      ...write(2, 3, 'info'),
      ...read(3, 2, 'v1.b'),
      ...read(4, 3, 'v9.c', 'b'),
    ]);
    const r = checkRegisterVersions(h) as any;
    assert.equal(r.valid, true, r.reason);
    assert.equal(r.judged, 1);
  });

  it('flags a read showing a value whose write had another version (a lost tie kept locally)', () => {
    const h = indexOps([...write(0, 1, 'ok', 'v1.a'), ...write(1, 2, 'ok', 'v1.b'), ...read(3, 1, 'v1.b', 'b')]);
    const r = checkRegisterVersions(h) as any;
    assert.equal(r.valid, false);
    assert.deepEqual(r.mismatches[0], { key: 'r', line: 6, region: 'b', value: 1, version: 'v1.b', writtenWith: 'v1.a', write: 2 });
  });

  it('leaves out keys with cas, and keys whose writes carry no version; nothing judged is unknown', async () => {
    const cas = indexOps([...write(0, 1, 'ok', 'v1.a'), ...write(1, 2, 'ok', 'v1.b', 'cas'), ...read(3, 1, 'v1.b')]);
    assert.equal(checkRegisterVersions(cas).valid, 'unknown');
    const r = checkRegisterVersions(indexOps([...write(0, 1, 'ok'), ...read(3, 1, 'v1.b')])) as any;
    assert.equal(r.valid, 'unknown');
    assert.equal(r.unchecked.length, 1);
    assert.equal((await registerVersionsChecker().check(indexOps([]), {})).valid, 'unknown');
  });

  it('flags a region showing its own write while its clock says it holds a write of a higher version', () => {
    const v = (wall: number, origin: string, seq: number) => `${String(wall).padStart(16, '0')}.0000000000.${origin}!${String(seq).padStart(16, '0')}`;
    const op = (process: number, f: string, value: unknown, region: string, meta: Record<string, unknown>): Op[] => [
      { type: 'invoke', process, f, key: 'r', value: f === 'read' ? null : value, time: tick(), region },
      { type: 'ok', process, f, key: 'r', value, time: tick(), region, meta },
    ];
    const base = [
      ...op(0, 'write', 1, 'a', { version: v(100, 'a', 1), vclock: { a: 1 } }),
      ...op(1, 'write', 2, 'b', { version: v(100, 'b', 1), vclock: { b: 1 } }),
    ];
    // Region a holds b's write (its clock counts it) yet shows its own value, of a lower version.
    const bad = checkRegisterVersions(indexOps([...base, ...op(2, 'read', 1, 'a', { version: v(100, 'a', 1), vclock: { a: 1, b: 1 } })])) as any;
    assert.equal(bad.valid, false);
    assert.deepEqual([bad.mismatches[0].line, bad.mismatches[0].heldWrite, bad.mismatches[0].heldVersion], [6, 4, v(100, 'b', 1)]);
    // Without b's write in its clock, showing its own value is last-writer-wins as far as it knows.
    const ok = checkRegisterVersions(indexOps([...base, ...op(2, 'read', 1, 'a', { version: v(100, 'a', 1), vclock: { a: 1 } }), ...op(3, 'read', 2, 'a', { version: v(100, 'b', 1), vclock: { a: 1, b: 1 } })]));
    assert.equal(ok.valid, true, ok.reason);
  });

  describe('deletes (tombstones, which win or lose by version)', () => {
    const del = (process: number, type: 'ok' | 'info', version?: string): Op[] => [
      { type: 'invoke', process, f: 'delete', key: 'r', value: null, time: tick(), region: 'b' },
      { type, process, f: 'delete', key: 'r', value: null, time: tick(), region: 'b', ...(version ? { meta: { version } } : {}) },
    ];

    it('a null read reporting a delete\'s version shows that delete; the key is judged like one of writes only', () => {
      const r = checkRegisterVersions(indexOps([...write(0, 1, 'ok', 'v1.a'), ...del(1, 'ok', 'v2.b'), ...read(2, null, 'v2.b'), ...read(3, 1, 'v1.a', 'c')])) as any;
      assert.equal(r.valid, true, r.reason);
      assert.equal(r.judged, 2);
    });

    it('flags a null read reporting the version of a value (a tombstone where the write won), naming that write', () => {
      const r = checkRegisterVersions(indexOps([...write(0, 1, 'ok', 'v3.a'), ...del(1, 'ok', 'v2.b'), ...read(2, null, 'v3.a', 'b')])) as any;
      assert.equal(r.valid, false);
      assert.deepEqual(r.mismatches[0], { key: 'r', line: 6, region: 'b', value: null, version: 'v3.a', butThatVersionWrote: 1, write: 2 });
    });

    it('flags a value read reporting a delete\'s version (a write resurrected past the tombstone that beat it)', () => {
      const r = checkRegisterVersions(indexOps([...write(0, 1, 'ok', 'v1.a'), ...del(1, 'ok', 'v2.b'), ...read(2, 1, 'v2.b', 'a')])) as any;
      assert.equal(r.valid, false);
      assert.deepEqual(r.mismatches[0], { key: 'r', line: 6, region: 'a', value: 1, version: 'v2.b', writtenWith: 'v1.a', write: 2 });
    });

    it('skips a null read of a delete of unknown outcome, and leaves out keys whose acknowledged deletes carry no version', () => {
      const skipped = checkRegisterVersions(indexOps([...write(0, 1, 'ok', 'v1.a'), ...del(1, 'info'), ...read(2, null, 'v2.b'), ...read(3, 1, 'v1.a')])) as any;
      assert.equal(skipped.valid, true, skipped.reason);
      assert.equal(skipped.judged, 1);
      const unversioned = checkRegisterVersions(indexOps([...write(0, 1, 'ok', 'v1.a'), ...del(1, 'ok'), ...read(3, 1, 'v1.a')])) as any;
      assert.equal(unversioned.valid, 'unknown');
      assert.equal(unversioned.unchecked.length, 1);
    });
  });
});
