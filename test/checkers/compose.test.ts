import { strict as assert } from 'node:assert';
import { checkSafe, composeChecks } from '../../checkers/compose.ts';
import type { Checker, Validity } from '../../harness/core/checker.ts';

const fixed = (name: string, valid: Validity): Checker => ({ name, check: async () => ({ valid, reason: name }) });

describe('checkers/compose', () => {
  it('turns a thrown error into unknown with the reason', async () => {
    const boom: Checker = { name: 'boom', check: async () => { throw new Error('no model'); } };
    const r = await checkSafe(boom, [], {});
    assert.equal(r.valid, 'unknown');
    assert.match(String(r.reason), /^checker crashed: no model/);
  });

  it('turns a result without a verdict into unknown', async () => {
    const bad = { name: 'bad', check: async () => ({ valid: 'yes' }) } as unknown as Checker;
    assert.equal((await checkSafe(bad, [], {})).valid, 'unknown');
  });

  it('merges: false beats unknown beats true', async () => {
    assert.equal((await composeChecks([fixed('a', true), fixed('b', true)], [], {})).valid, true);
    assert.equal((await composeChecks([fixed('a', true), fixed('b', 'unknown')], [], {})).valid, 'unknown');
    const r = await composeChecks([fixed('a', 'unknown'), fixed('b', false), fixed('c', true)], [], {});
    assert.equal(r.valid, false);
    assert.deepEqual(Object.keys(r.checkers), ['a', 'b', 'c']);
    assert.equal(r.checkers.b.valid, false);
  });

  it('a crash makes the whole unknown, not true', async () => {
    const boom: Checker = { name: 'boom', check: async () => { throw new Error('x'); } };
    const r = await composeChecks([fixed('a', true), boom], [], {});
    assert.equal(r.valid, 'unknown');
  });

  it('keeps both results of two checkers with the same name', async () => {
    const r = await composeChecks([fixed('x', true), fixed('x', false)], [], {});
    assert.deepEqual(Object.keys(r.checkers), ['x', 'x#2']);
    assert.equal(r.valid, false);
  });

  it('does not run checkers after the signal aborted', async () => {
    let ran = false;
    const spy: Checker = { name: 'spy', check: async () => { ran = true; return { valid: true }; } };
    const ac = new AbortController();
    ac.abort();
    const r = await composeChecks([spy], [], { signal: ac.signal });
    assert.equal(ran, false);
    assert.equal(r.valid, 'unknown');
  });
});
