import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, defineConfig, suite, type Checker } from 'rift';
import { EXIT } from '../../harness/cli/exit-codes.ts';

const countReads: Checker = {
  name: 'reads',
  check: async (h) => ({ valid: h.some((o) => o.f === 'read' && o.type === 'ok'), reason: `${h.length} events, last line ${h.at(-1)?.line}` }),
};

describe('library API (import from "rift")', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'rift-api-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('check() takes ops or a history.jsonl, and numbers lines from 1', async () => {
    const ops = [
      { type: 'invoke' as const, process: 0, f: 'read', key: 'k', value: null, time: 1 },
      { type: 'ok' as const, process: 0, f: 'read', key: 'k', value: 3, time: 2 },
    ];
    const fromOps = await check(ops, { checkers: [countReads] });
    assert.equal(fromOps.valid, true);
    assert.equal(fromOps.checkers.reads.reason, '2 events, last line 2');
    const file = join(dir, 'history.jsonl');
    writeFileSync(file, ops.map((o) => JSON.stringify(o)).join('\n') + '\n');
    assert.deepEqual(await check(file, { checkers: [countReads] }), fromOps);
  });

  it('suite() validates a config object before running anything (exit 65, naming the field)', async () => {
    const config = defineConfig({ projects: [{ name: 'p', load: { rate: 0 } }], suites: { s: { projects: ['p'] } } });
    await assert.rejects(suite(config, 's', { store: dir }), (e: Error & { exitCode: number }) => e.exitCode === EXIT.dataError && /projects\[0\]\.load\.rate/.test(e.message));
  });
});
