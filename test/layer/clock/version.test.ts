import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { compareVersions, parseVersion, parseVersionToken, versionToken, type Version } from '../../../layer/clock/version.ts';
import { MAX_LOGICAL } from '../../../layer/clock/hlc.ts';

const regionArb = fc.oneof(
  fc.constantFrom('us-east', 'eu-west', 'ap-south', 'a', 'a-b', 'a.b', 'a_b', 'ab', 'A', 'a0'),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,10}$/),
);
const versionArb: fc.Arbitrary<Version> = fc.record({
  hlc: fc.record({
    wall: fc.oneof(fc.nat({ max: 20 }), fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER)),
    logical: fc.oneof(fc.nat({ max: 3 }), fc.constant(MAX_LOGICAL)),
  }, { noNullPrototype: true }),
  region: regionArb,
  seq: fc.oneof(fc.nat({ max: 3 }), fc.constant(Number.MAX_SAFE_INTEGER)),
}, { noNullPrototype: true });

const sign = (n: number) => Math.sign(n);
const strCmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('layer/clock/version', () => {
  it('orders by HLC, then region, then seq', () => {
    const v = (wall: number, logical: number, region: string, seq: number): Version => ({ hlc: { wall, logical }, region, seq });
    assert.equal(compareVersions(v(1, 5, 'z', 9), v(2, 0, 'a', 0)), -1);
    assert.equal(compareVersions(v(2, 1, 'a', 0), v(2, 0, 'z', 0)), 1);
    assert.equal(compareVersions(v(2, 1, 'eu-west', 0), v(2, 1, 'us-east', 0)), -1);
    assert.equal(compareVersions(v(2, 1, 'a', 3), v(2, 1, 'a', 2)), 1);
    assert.equal(compareVersions(v(2, 1, 'a', 3), v(2, 1, 'a', 3)), 0);
  });

  it('token lexicographic order equals compareVersions (property)', () => {
    fc.assert(
      fc.property(versionArb, versionArb, (a, b) => {
        assert.equal(strCmp(versionToken(a), versionToken(b)), sign(compareVersions(a, b)));
      }),
      { numRuns: 2000 },
    );
  });

  it('a region that prefixes another sorts first, as in compareVersions', () => {
    const mk = (region: string): Version => ({ hlc: { wall: 5, logical: 0 }, region, seq: 0 });
    for (const [lo, hi] of [['a', 'a-b'], ['a', 'a.b'], ['a', 'a0'], ['us', 'us-east']]) {
      assert.equal(compareVersions(mk(lo), mk(hi)), -1);
      assert.ok(versionToken(mk(lo)) < versionToken(mk(hi)), `${lo} < ${hi}`);
    }
  });

  it('tokens round-trip (property)', () => {
    fc.assert(fc.property(versionArb, (v) => assert.deepEqual(parseVersionToken(versionToken(v)), v)));
  });

  it('rejects malformed tokens and unencodable versions', () => {
    for (const bad of ['', 'x', '0000000000000001.000000000.us!0000000000000001', '0000000000000001.0000000000.us-east!1',
      '0000000000000001.0000000000.-us!0000000000000001', '9999999999999999.0000000000.us!0000000000000001']) {
      assert.throws(() => parseVersionToken(bad), /malformed version token|out of range|expected \{wall, logical\}/, bad);
    }
    assert.throws(() => versionToken({ hlc: { wall: 1, logical: 0 }, region: 'bad region', seq: 0 }), /versionToken: region must match/);
    assert.throws(() => versionToken({ hlc: { wall: 1, logical: 0 }, region: 'r', seq: -1 }), /seq must be a non-negative integer/);
    assert.throws(() => versionToken({ hlc: { wall: -1, logical: 0 }, region: 'r', seq: 0 }), /versionToken: hlc/);
  });

  it('parseVersion names the bad field', () => {
    assert.throws(() => parseVersion({ hlc: { wall: 1, logical: 0 }, region: 'r', seq: 'x' }, 'body.version'), /body\.version\.seq/);
    assert.throws(() => parseVersion({ hlc: { wall: 1 }, region: 'r', seq: 1 }, 'body.version'), /body\.version\.hlc/);
    assert.deepEqual(parseVersion({ hlc: { wall: 1, logical: 2 }, region: 'r', seq: 3 }, 'v'), { hlc: { wall: 1, logical: 2 }, region: 'r', seq: 3 });
  });
});
