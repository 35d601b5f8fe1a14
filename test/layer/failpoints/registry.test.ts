import { strict as assert } from 'node:assert';
import { FAILPOINT_NAMES, Failpoints, FailpointError, parseFailpointSpec } from '../../../layer/failpoints/registry.ts';
import { FAILPOINT_NAMES as HARNESS_NAMES } from '../../../harness/nemesis/faults/failpoint.ts';

const throwingCrash = (name: string): never => {
  throw new Error(`unexpected crash at ${name}`);
};

describe('failpoints (registry)', () => {
  it('is inert until armed: hit answers undefined synchronously, for every point', () => {
    const fp = new Failpoints(throwingCrash);
    for (const n of FAILPOINT_NAMES) assert.equal(fp.hit(n), undefined);
    assert.deepEqual(fp.list(), { armed: [], fired: {} });
  });

  it('an armed drop fires `times` times, then disarms itself; other points stay inert', async () => {
    const fp = new Failpoints(throwingCrash);
    fp.arm({ name: 'paxos-before-promise', action: 'drop', times: 2 });
    assert.equal(fp.hit('paxos-before-accept'), undefined);
    assert.equal(await fp.hit('paxos-before-promise'), 'drop');
    assert.equal(await fp.hit('paxos-before-promise'), 'drop');
    assert.equal(fp.hit('paxos-before-promise'), undefined);
    assert.deepEqual(fp.list().fired, { 'paxos-before-promise': 2 });
  });

  it('a pause resolves "go" after its ms, and not before', async () => {
    const fp = new Failpoints(throwingCrash);
    fp.arm({ name: 'replicate-before-apply', action: 'pause', ms: 30 });
    let done = false;
    const p = fp.hit('replicate-before-apply')!.then((v) => { done = true; return v; });
    await new Promise((r) => setImmediate(r));
    assert.equal(done, false, 'still paused');
    assert.equal(await p, 'go');
  });

  it('a crash calls the crash hook with the point name and never resumes the call site', async () => {
    const crashed: string[] = [];
    // The real hook SIGKILLs the process; this one only records, so the test sees what would have died.
    const fp = new Failpoints(((name: string) => void crashed.push(name)) as unknown as (name: string) => never);
    fp.arm({ name: 'paxos-accept-sent', action: 'crash', k: 1 });
    let resumed = false;
    void fp.hit('paxos-accept-sent')!.then(() => { resumed = true; });
    while (crashed.length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(crashed, ['paxos-accept-sent']);
    assert.equal(resumed, false);
  });

  it('disarmAll clears every point and reports what fired', async () => {
    const fp = new Failpoints(throwingCrash);
    fp.arm({ name: 'paxos-acceptor-reply', action: 'drop', times: 5 });
    await fp.hit('paxos-acceptor-reply');
    assert.deepEqual(fp.disarmAll(), { 'paxos-acceptor-reply': 1 });
    assert.equal(fp.hit('paxos-acceptor-reply'), undefined);
    assert.deepEqual(fp.list(), { armed: [], fired: {} });
  });

  it('parses arming requests and names the bad field', () => {
    assert.deepEqual(parseFailpointSpec({ name: 'paxos-accept-sent', action: 'crash', k: 1 }), { name: 'paxos-accept-sent', action: 'crash', k: 1 });
    assert.throws(() => parseFailpointSpec({ name: 'nope', action: 'drop' }), (e: Error) => e instanceof FailpointError && /field "name" must be one of/.test(e.message));
    assert.throws(() => parseFailpointSpec({ name: 'paxos-accept-sent', action: 'explode' }), /field "action"/);
    assert.throws(() => parseFailpointSpec({ name: 'paxos-accept-sent', action: 'pause' }), /needs field "ms"/);
    assert.throws(() => parseFailpointSpec({ name: 'paxos-accept-sent', action: 'drop', times: 0 }), /field "times" must be an integer 1\.\./);
    assert.throws(() => parseFailpointSpec([]), /body must be an object/);
  });

  it('the harness knows exactly the points the layer has', () => {
    assert.deepEqual([...HARNESS_NAMES].sort(), [...FAILPOINT_NAMES].sort());
  });
});
