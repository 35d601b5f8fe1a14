/** Which strategy a key uses, from its name: the longest matching prefix wins. */
import { isStrategy, type Strategy } from './types.ts';

export interface StrategyRule {
  prefix: string;
  strategy: Strategy;
}

export const DEFAULT_STRATEGY_RULES: readonly StrategyRule[] = [
  { prefix: 'counter/', strategy: 'pn-counter' },
  { prefix: 'set/', strategy: 'or-set' },
  { prefix: 'mvreg/', strategy: 'mv-register' },
  { prefix: 'map/', strategy: 'map' },
  { prefix: 'siblings/', strategy: 'siblings' },
  { prefix: 'reject/', strategy: 'reject' },
  { prefix: 'lwwreg/', strategy: 'lww-register' },
];

function longestMatch(key: string, rules: readonly StrategyRule[]): StrategyRule | undefined {
  let best: StrategyRule | undefined;
  for (const r of rules) if (key.startsWith(r.prefix) && (!best || r.prefix.length > best.prefix.length)) best = r;
  return best;
}

/**
 * Configured rules take precedence over the defaults, which still apply to keys no configured rule
 * matches; anything unmatched is lww. An unknown strategy in the rules is a configuration error.
 */
export function strategyForKey(key: string, rules: readonly StrategyRule[] = []): Strategy {
  rules.forEach((r, i) => {
    if (typeof r?.prefix !== 'string' || !isStrategy(r.strategy)) {
      throw new TypeError(`strategy rules[${i}]: expected {prefix: string, strategy: one of the known strategies}, got ${JSON.stringify(r)}`);
    }
  });
  return (longestMatch(key, rules) ?? longestMatch(key, DEFAULT_STRATEGY_RULES))?.strategy ?? 'lww';
}
