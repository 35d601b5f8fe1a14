import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { namedModel } from '../../../checkers/linearizable/models/index.ts';
import { packPartitions, unpackPartitions } from '../../../checkers/linearizable/packed.ts';
import { prepareHistory } from '../../../checkers/linearizable/prepare.ts';
import { genParams, simulate } from './gen.ts';

describe('linearizable: partitions packed for a worker thread', () => {
  it('come back equal after a structured clone (ok, info and unkeyed ops; every model)', () => {
    fc.assert(
      fc.property(genParams(['register', 'cas-register', 'kv', 'set'], 40), fc.boolean(), (p, dropKeys) => {
        const history = simulate({ ...p, infoRate: 200 }).map((e) => (dropKeys ? { ...e, key: undefined } : e));
        const parts = prepareHistory(history, namedModel(p.kind)).partitions;
        assert.deepEqual(unpackPartitions(structuredClone(packPartitions(parts))), parts);
      }),
    );
  });
});
