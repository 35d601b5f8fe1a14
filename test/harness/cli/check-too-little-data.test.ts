import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const RIFT = resolve('bin/rift.mjs');
const rift = (...args: string[]) => {
  const r = spawnSync(process.execPath, [RIFT, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const line = (o: object) => JSON.stringify(o);

/** Zero client operations is never valid: `rift check` answers unknown (exit 2) and says why, for every checker. */
describe('rift check on too little data (CLI)', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'rift-check-little-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const ALL = 'linearizable,convergence,set,counter,session-guarantees,causal,stale-reads,stats,availability,elle-list-append';

  const cases: [string, string][] = [
    ['an empty file', ''],
    ['a file holding one torn line', '{"type":"invoke","process":0,"f":"wri'],
    ['a history of nemesis events only', [
      line({ type: 'invoke', process: 'nemesis', f: 'kill', value: 'a', time: 1 }),
      line({ type: 'info', process: 'nemesis', f: 'kill', value: 'killed a', time: 2, meta: { tookEffect: true } }),
    ].join('\n') + '\n'],
    ['a history of invokes only', [0, 1].map((p) => line({ type: 'invoke', process: p, f: 'read', key: 'x', value: null, time: p + 1 })).join('\n') + '\n'],
    ['a history of fails only', [
      line({ type: 'invoke', process: 0, f: 'write', key: 'x', value: 1, time: 1 }),
      line({ type: 'fail', process: 0, f: 'write', key: 'x', value: 1, time: 2, error: 'refused' }),
    ].join('\n') + '\n'],
  ];
  for (const [what, text] of cases) {
    it(`${what}: exit 2 with the reason`, () => {
      const p = file(`${what.replace(/\W+/g, '-')}.jsonl`, text);
      const r = rift('check', p, '--checker', ALL, '--model', 'register', '--out', dir);
      assert.equal(r.code, 2, r.out + r.err);
      assert.match(r.out, /^verdict: UNKNOWN/m);
      assert.match(r.out, /linearizable\s+unknown — too little data: 0 ok client operations/);
      assert.doesNotMatch(r.out, /\bvalid —/, 'no checker calls it valid');
    });
  }
});
