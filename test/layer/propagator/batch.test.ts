import { strict as assert } from 'node:assert';
import { batchTarget, claimedRange, parseBatch } from '../../../layer/propagator/batch.ts';
import { applyLocal } from '../../../layer/resolver/index.ts';

const written = applyLocal('lww', undefined, { op: 'put', value: 1 }, { region: 'us-east', version: { hlc: { wall: 1, logical: 0 }, region: 'us-east', seq: 1 }, vclock: { 'us-east': 1 } });
if (!written.ok) throw new Error(written.message);
const stored = JSON.parse(JSON.stringify(written.stored));
const entry = (seq: number, s: unknown = stored) => ({ seq, ts: 0, items: [{ key: `k${seq}`, stored: s }] });

describe('replication batch parsing', () => {
  it('validates every entry above what the receiver applied, naming the bad field', () => {
    const batch = { origin: 'us-east', after: 0, entries: [entry(1), entry(2, { strategy: 'nope' })] };
    assert.throws(() => parseBatch(batch), /batch\.entries\[1\]\.items\[0\]\.stored\.strategy/);
  });

  it('drops entries at or below the applied mark unread, keeping the rest', () => {
    const batch = { origin: 'us-east', after: 0, entries: [entry(1, 'not a state'), entry(2, null), entry(3)] };
    const parsed = parseBatch(batch, (o) => (o === 'us-east' ? 2 : 0));
    assert.deepEqual(parsed.entries.map((e) => e.seq), [3]);
    assert.equal(parsed.after, 0);
  });

  it('still refuses sequences that do not increase, applied or not', () => {
    assert.throws(() => parseBatch({ origin: 'us-east', entries: [entry(2), entry(1)] }, () => 5), /batch\.entries\[1\]\.seq/);
  });

  it('names a batch\'s origin and last sequence in its request target, and checks the body agrees', () => {
    const target = new URL(batchTarget('us-east', 42), 'http://node');
    assert.equal(target.pathname, '/internal/replicate');
    const claimed = claimedRange(target.searchParams);
    assert.deepEqual(claimed, { origin: 'us-east', last: 42 });
    assert.equal(claimedRange(new URLSearchParams('')), null, 'a target without a range claims none');
    assert.throws(() => claimedRange(new URLSearchParams('origin=us-east')), /query last: expected a log sequence/);
    assert.throws(() => claimedRange(new URLSearchParams('origin=__proto__&last=1')), /query origin: expected a region name/);
    assert.throws(() => claimedRange(new URLSearchParams('origin=us-east&last=-1')), /query last/);
    assert.equal(parseBatch({ origin: 'us-east', entries: [entry(41), entry(42)] }, () => 0, claimed).entries.length, 2);
    assert.throws(() => parseBatch({ origin: 'us-east', entries: [entry(41)] }, () => 0, claimed), /last sequence 41 differ from the request target's \(us-east, 42\)/);
    assert.throws(() => parseBatch({ origin: 'eu-west', entries: [entry(42)] }, () => 0, claimed), /origin "eu-west"/);
  });
});
