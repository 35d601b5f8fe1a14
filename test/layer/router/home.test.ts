import { strict as assert } from 'node:assert';
import { HomeRouter } from '../../../layer/router/home.ts';

describe('home router', () => {
  it('is the same on every node whatever the order of the region list', () => {
    const a = new HomeRouter(['us-east', 'eu-west', 'ap-south'], []);
    const b = new HomeRouter(['ap-south', 'us-east', 'eu-west'], []);
    for (let i = 0; i < 200; i++) assert.equal(a.homeOf(`k${i}`), b.homeOf(`k${i}`));
  });

  it('spreads keys over every region', () => {
    const r = new HomeRouter(['us-east', 'eu-west', 'ap-south'], []);
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) counts.set(r.homeOf(`key-${i}`), (counts.get(r.homeOf(`key-${i}`)) ?? 0) + 1);
    assert.equal(counts.size, 3);
    for (const n of counts.values()) assert.ok(n > 700, `uneven: ${[...counts]}`);
  });

  it('placement rules win, longest prefix first', () => {
    const r = new HomeRouter(['us-east', 'eu-west'], [
      { prefix: 'critical/', region: 'us-east' },
      { prefix: 'critical/eu/', region: 'eu-west' },
    ]);
    assert.equal(r.homeOf('critical/x'), 'us-east');
    assert.equal(r.homeOf('critical/eu/x'), 'eu-west');
  });

  it('sends every transaction to one home unless a placement rule names another', () => {
    const r = new HomeRouter(['us-east', 'eu-west', 'ap-south'], [{ prefix: 'txn/eu/', region: 'eu-west' }]);
    assert.equal(r.txnHome('txn/a'), 'ap-south');
    assert.equal(r.txnHome('other'), 'ap-south');
    assert.equal(r.txnHome('txn/eu/x'), 'eu-west');
  });
});
