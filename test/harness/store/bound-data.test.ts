import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boundRunData, diskBytes, KEPT_TAIL, LARGE_LOG } from '../../../harness/store/bound-data.ts';
import { runPaths } from '../../../harness/store/run-dir.ts';

describe('bounding what a passing run leaves', () => {
  let root: string;
  beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'rift-bound-')); });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('deletes data/, cuts each log over 1 MB to its last lines under a note, and leaves small logs whole', () => {
    const dir = runPaths(root);
    mkdirSync(join(dir.data, 'us-east', 'appendonlydir'), { recursive: true });
    writeFileSync(join(dir.data, 'us-east', 'appendonlydir', 'appendonly.aof.1.incr.aof'), Buffer.alloc(300_000, 1));
    mkdirSync(dir.logs);
    const lines = Array.from({ length: 40_000 }, (_, i) => `{"line":${i},"msg":"proxy request"}`);
    writeFileSync(join(dir.logs, 'toxiproxy.log'), lines.join('\n') + '\n');
    writeFileSync(join(dir.logs, 'us-east-node.log'), 'small\n');
    const bigBefore = statSync(join(dir.logs, 'toxiproxy.log')).size;
    assert.ok(bigBefore > LARGE_LOG);

    const bound = boundRunData(dir);
    assert.equal(existsSync(dir.data), false);
    assert.deepEqual(bound.logsTrimmed, ['logs/toxiproxy.log']);
    assert.equal(bound.dataDeleted, true);
    const kept = readFileSync(join(dir.logs, 'toxiproxy.log'), 'utf8').split('\n');
    assert.match(kept[0], /^\[rift: the first \d+ bytes of this log were deleted after the run passed; run with --keep-data to keep them\]$/);
    assert.equal(kept[1], lines[lines.length - kept.length + 2], 'the kept part starts on a whole line');
    assert.equal(kept[kept.length - 2], lines[lines.length - 1], 'and ends with the last line');
    assert.ok(statSync(join(dir.logs, 'toxiproxy.log')).size <= KEPT_TAIL + 200);
    assert.equal(readFileSync(join(dir.logs, 'us-east-node.log'), 'utf8'), 'small\n');
    assert.equal(bound.freedBytes, 300_000 + bigBefore - statSync(join(dir.logs, 'toxiproxy.log')).size);
  });

  it('does nothing to a run with no data and no large log', () => {
    assert.deepEqual(boundRunData(runPaths(root)), { freedBytes: 0, dataDeleted: false, logsTrimmed: [] });
    assert.equal(diskBytes(join(root, 'none')), 0);
  });
});
