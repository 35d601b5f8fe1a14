import { strict as assert } from 'node:assert';
import { strategyForKey, type Strategy } from '../../../layer/resolver/index.ts';

describe('layer/resolver/key-strategy', () => {
  it('maps the default namespaces and falls back to lww', () => {
    const cases: [string, Strategy][] = [
      ['counter/a', 'pn-counter'], ['set/a', 'or-set'], ['mvreg/a', 'mv-register'], ['map/a', 'map'],
      ['siblings/a', 'siblings'], ['reject/a', 'reject'], ['lwwreg/a', 'lww-register'],
      ['plain', 'lww'], ['critical/x', 'lww'], ['counterfeit', 'lww'], ['', 'lww'],
    ];
    for (const [key, s] of cases) assert.equal(strategyForKey(key), s, key);
  });

  it('configured rules override the defaults, longest prefix first', () => {
    const rules = [{ prefix: 'counter/', strategy: 'lww' as const }, { prefix: 'counter/pn/', strategy: 'pn-counter' as const }, { prefix: 'hot/set/', strategy: 'or-set' as const }];
    assert.equal(strategyForKey('counter/x', rules), 'lww');
    assert.equal(strategyForKey('counter/pn/x', rules), 'pn-counter');
    assert.equal(strategyForKey('hot/set/x', rules), 'or-set');
    assert.equal(strategyForKey('set/x', rules), 'or-set', 'defaults still apply where no rule matches');
  });

  it('rejects an unknown strategy in the rules', () => {
    assert.throws(() => strategyForKey('k', [{ prefix: 'k', strategy: 'crdt' as Strategy }]), /strategy rules\[0\]: expected \{prefix: string, strategy/);
  });
});
