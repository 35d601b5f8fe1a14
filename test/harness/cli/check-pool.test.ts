import { strict as assert } from 'node:assert';
import { sharing } from '../../../harness/cli/check-pool.ts';

describe('rift check: who checks many files (sharing)', () => {
  it('--workers N: N worker threads from the start, at most one per file; 1: the main thread alone', () => {
    assert.deepEqual(sharing(10, 3, 0), { workers: 3, mainToo: false, helpAfterMs: 0 });
    assert.deepEqual(sharing(2, 3, 5), { workers: 2, mainToo: false, helpAfterMs: 0 });
    assert.deepEqual(sharing(10, 1, 5), { workers: 0, mainToo: true, helpAfterMs: 0 });
  });

  it('by default the main thread, joined later by a helper per spare core while files wait, at most 8 threads', () => {
    assert.deepEqual(sharing(10, undefined, 0), { workers: 0, mainToo: true, helpAfterMs: 100 }, 'a busy machine: no helpers');
    assert.deepEqual(sharing(10, undefined, 1), { workers: 1, mainToo: true, helpAfterMs: 100 });
    assert.deepEqual(sharing(3, undefined, 16), { workers: 2, mainToo: true, helpAfterMs: 100 }, 'a file for each thread at most');
    assert.deepEqual(sharing(100, undefined, 16), { workers: 7, mainToo: true, helpAfterMs: 100 });
  });
});
