/** Test support: operation generators shared by several strategies' suites. */
import fc from 'fast-check';
import type { LocalOp } from '../../../layer/resolver/index.ts';

export const registerOpArb: fc.Arbitrary<LocalOp> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('put' as const), value: fc.nat({ max: 9 }) }, { noNullPrototype: true }) },
  { weight: 1, arbitrary: fc.constant({ op: 'delete' as const }) },
);
