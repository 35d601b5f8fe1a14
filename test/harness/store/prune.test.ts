import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { applyPrune, planPrune, type PruneRun } from '../../../harness/store/prune.ts';
import type { Verdict } from '../../../harness/store/run-record.ts';
import { makeRun } from './fixture.ts';

const RIFT = resolve('bin/rift.mjs');
const NOW = new Date('2026-02-01T00:00:00Z');
const day = (d: number): string => new Date(NOW.getTime() - d * 86_400_000).toISOString();
const run = (name: string, daysAgo: number, verdict: Verdict = 'pass'): PruneRun => ({ id: `${name}/${daysAgo}`, dir: `/s/${name}/${daysAgo}`, name, startedAt: day(daysAgo), verdict });
const removed = (runs: PruneRun[], opts: Parameters<typeof planPrune>[1]): string[] =>
  planPrune(runs, { now: NOW, ...opts }).filter((d) => d.remove).map((d) => d.run.id).sort();

describe('rift prune (which runs go)', () => {
  const runs = [run('a', 1), run('a', 2), run('a', 3, 'fail'), run('a', 4), run('a', 10), run('b', 20), run('b', 30, 'unknown'), run('b', 40, 'running'), run('c', 50, 'error'), run('c', 60, 'interrupted')];

  it('--keep N keeps the newest N passing runs of each name, and every run that did not pass', () => {
    assert.deepEqual(removed(runs, { keep: 2 }), ['a/10', 'a/4']);
    assert.deepEqual(removed(runs, { keep: 0 }), ['a/1', 'a/10', 'a/2', 'a/4', 'b/20']);
  });

  it('--keep-days D keeps what started within D days', () => {
    assert.deepEqual(removed(runs, { keepDays: 3.5 }), ['a/10', 'a/4', 'b/20']);
  });

  it('given both, a run either keeps is kept', () => {
    assert.deepEqual(removed(runs, { keep: 1, keepDays: 3.5 }), ['a/10', 'a/4']);
  });

  it('--include-failing removes failing, unknown, crashed and interrupted runs too, never one still running', () => {
    assert.deepEqual(removed(runs, { keep: 1, includeFailing: true }), ['a/10', 'a/2', 'a/3', 'a/4', 'b/30', 'c/60']);
    const why = planPrune(runs, { keep: 0, now: NOW });
    assert.match(why.find((d) => d.run.id === 'a/3')!.why, /fail: kept as evidence \(--include-failing removes it too\)/);
    assert.match(why.find((d) => d.run.id === 'b/40')!.why, /says running/);
  });

  it('reads the age from the folder name when run.json has no start time, and keeps a run of unknown age', () => {
    const noStart = [{ id: 'x/2026-01-01T000000Z', dir: '/s/x/1', name: 'x', verdict: 'pass' as const }, { id: 'x/odd', dir: '/s/x/2', name: 'x', verdict: 'pass' as const }];
    assert.deepEqual(removed(noStart, { keepDays: 7 }), ['x/2026-01-01T000000Z']);
  });
});

describe('rift prune (the command)', function () {
  this.timeout(60_000);
  let store: string;
  beforeEach(() => {
    store = mkdtempSync(join(tmpdir(), 'rift-prune-'));
    makeRun(store, { name: 'p', ts: '2026-01-01T010000Z', seed: 1 });
    makeRun(store, { name: 'p', ts: '2026-01-02T010000Z', seed: 2, exitCode: 1 });
    makeRun(store, { name: 'p', ts: '2026-01-03T010000Z', seed: 3 });
    makeRun(store, { name: 'q', ts: '2026-01-01T020000Z', seed: 4 });
    symlinkSync('p/2026-01-03T010000Z', join(store, 'latest'));
  });
  afterEach(() => rmSync(store, { recursive: true, force: true }));
  const rift = (...args: string[]) => spawnSync(process.execPath, [RIFT, 'prune', '--store', store, ...args], { encoding: 'utf8', timeout: 30_000 });

  it('--dry-run says what would go and removes nothing', () => {
    const r = rift('--keep', '0', '--dry-run');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /would remove p\/2026-01-01T010000Z \(pass, 0\.0 MB\)/);
    assert.match(r.stdout, /would remove 3 runs \(0\.0 MB\); kept 1 \(1 not passing\)/);
    for (const id of ['p/2026-01-01T010000Z', 'p/2026-01-03T010000Z', 'q/2026-01-01T020000Z']) assert.ok(existsSync(join(store, id)), id);
    assert.ok(!existsSync(join(store, 'index.html')), 'a dry run writes nothing');
  });

  it('removes the runs, the name folder left empty, repoints latest and regenerates the index', () => {
    const r = rift('--keep', '0');
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!existsSync(join(store, 'p', '2026-01-01T010000Z')));
    assert.ok(!existsSync(join(store, 'q')), 'an empty name folder goes too');
    assert.ok(existsSync(join(store, 'p', '2026-01-02T010000Z', 'run.json')), 'the failing run stays');
    assert.equal(readlinkSync(join(store, 'latest')), 'p/2026-01-02T010000Z');
    const index = JSON.parse(readFileSync(join(store, 'index.json'), 'utf8'));
    assert.deepEqual(index.runs.map((x: { id: string }) => x.id), ['p/2026-01-02T010000Z']);
  });

  it('applyPrune leaves latest alone when its run stays', () => {
    applyPrune(store, planPrune([{ id: 'q/2026-01-01T020000Z', dir: join(store, 'q', '2026-01-01T020000Z'), name: 'q', verdict: 'pass' }], { keep: 0 }));
    assert.equal(readlinkSync(join(store, 'latest')), 'p/2026-01-03T010000Z');
  });

  it('refuses usage errors with 64, naming the option', () => {
    const none = rift();
    assert.equal(none.status, 64);
    assert.match(none.stderr, /give --keep N or --keep-days D/);
    const neg = rift('--keep', '-1');
    assert.equal(neg.status, 64);
    assert.match(neg.stderr, /--keep must be an integer >= 0 \(got "-1"\)/);
    assert.match(rift('--keep-days', 'soon').stderr, /--keep-days must be a number >= 0/);
    const noStore = spawnSync(process.execPath, [RIFT, 'prune', '--keep', '1', '--store', join(store, 'nope')], { encoding: 'utf8' });
    assert.equal(noStore.status, 64);
    assert.match(noStore.stderr, /--store .*nope: no such directory/);
    assert.match(rift('--help').stdout, /^rift prune --keep N \| --keep-days D/);
  });
});
