import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logSince, logSize } from '../../../harness/process/log-file.ts';

describe('process/log-file', () => {
  it('reads only what was written past a mark, and treats a missing log as empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rift-log-'));
    try {
      const f = join(dir, 'x.log');
      assert.equal(logSize(f), 0);
      assert.equal(logSince(f, 0), '');
      appendFileSync(f, 'old life: Address already in use\n');
      const mark = logSize(f);
      appendFileSync(f, 'now serving\n');
      assert.equal(logSince(f, mark), 'now serving\n');
      assert.equal(logSince(f, 0), 'old life: Address already in use\nnow serving\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
