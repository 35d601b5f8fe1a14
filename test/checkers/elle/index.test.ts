import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkListAppend, listAppendChecker, rwRegisterChecker } from '../../../checkers/elle/index.ts';
import { parseHistory } from '../../../harness/history/reader.ts';
import { TxnHistory } from './builder.ts';
import { simulate } from './sim.ts';

/**
 * n concurrent transactions; T_i reads key i (empty) and appends to key i+1, whose only writer... so T_{i+1} -rw-> T_i
 * all the way round: one SCC of n vertices whose only cycle is n rw edges long (G2-item), found only after n steps.
 */
function rwRing(n: number): TxnHistory {
  const h = new TxnHistory();
  for (let i = 0; i < n; i++) h.invoke(i, [['r', i, []], ['append', (i + 1) % n, i]]);
  for (let i = 0; i < n; i++) h.ok(i);
  return h;
}

/**
 * n concurrent transactions (n even) in a ring where wr and rw edges alternate: even T_j appends to a_j and b_j;
 * odd T_{j+1} observes a_j (T_j -wr-> T_{j+1}) and misses b_{j+2} (T_{j+1} -rw-> T_{j+2}).
 */
function alternatingRing(n: number): TxnHistory {
  const h = new TxnHistory();
  for (let j = 0; j < n; j += 2) {
    h.invoke(j, [['append', `a${j}`, 1], ['append', `b${j}`, 1]]);
    h.invoke(j + 1, [['r', `a${j}`, [1]], ['r', `b${(j + 2) % n}`, []]]);
  }
  for (let i = 0; i < n; i++) h.ok(i);
  return h;
}

describe('elle checker: budgets, verdicts and files', function () {
  this.timeout(60_000);

  it('a cycle search that runs out of time makes the verdict unknown and says what was not searched', async () => {
    const r = await checkListAppend(rwRing(5000).build(), { budgetMs: 0, consistencyModels: ['snapshot-isolation'] });
    assert.equal(r.valid, 'unknown');
    const types = r.anomalyTypes as string[];
    assert.ok(types.includes('cycle-search-timeout'), JSON.stringify(types));
    const timeout = (r.anomalies as Record<string, { sccSize: number; spec: string; notSearched: string[] }[]>)['cycle-search-timeout'][0];
    assert.equal(timeout.sccSize, 5000);
    // G0 and G1c have no ww or wr edge to start from; G-single-item is the first search with work to do.
    assert.equal(timeout.spec, 'G-single-item');
    assert.ok(timeout.notSearched.includes('G-nonadjacent-item'));
    // A plain BFS still yields one concrete cycle, so what it shows is not lost.
    assert.ok(types.includes('G2-item'));
    assert.ok(!timeout.notSearched.includes('G2-item'));
    // The cheap projection still proves that no serializable order exists.
    assert.ok(types.includes('PL-2.99-cycle-exists'));
    assert.ok((r.not as string[]).includes('repeatable-read'));
  });

  it('a timed-out search still proves a snapshot-isolation violation when rw edges never meet', async () => {
    const r = await checkListAppend(alternatingRing(4000).build(), { budgetMs: 0, consistencyModels: ['snapshot-isolation'] });
    const types = r.anomalyTypes as string[];
    assert.ok(types.includes('cycle-search-timeout'), JSON.stringify(types));
    assert.ok(types.includes('PL-SI-cycle-exists'), JSON.stringify(types));
    assert.equal(r.valid, false);
    // The pure rw ring is write skew, which snapshot isolation allows.
    const skew = await checkListAppend(rwRing(4000).build(), { budgetMs: 0, consistencyModels: ['snapshot-isolation'] });
    assert.ok(!(skew.anomalyTypes as string[]).includes('PL-SI-cycle-exists'));
  });

  it('with time to search, the alternating ring is G-nonadjacent-item', async () => {
    const r = await checkListAppend(alternatingRing(400).build(), { budgetMs: 30_000 });
    assert.deepEqual(r.anomalyTypes, ['G-nonadjacent-item']);
  });

  it('with time to search, the same ring is a G2-item cycle of 5000 transactions', async () => {
    const r = await checkListAppend(rwRing(5000).build(), { budgetMs: 30_000 });
    assert.equal(r.valid, false);
    assert.deepEqual(r.anomalyTypes, ['G2-item']);
    const cycle = (r.anomalies as Record<string, { steps: unknown[] }[]>)['G2-item'][0];
    assert.equal(cycle.steps.length, 5000);
    assert.deepEqual((r.stats as Record<string, number>).largestScc, 5000);
  });

  it('checkers carry the names the runner expects and honour the run\'s outDir', async () => {
    assert.equal(listAppendChecker().name, 'elle-list-append');
    assert.equal(rwRegisterChecker().name, 'elle-rw-register');
    const dir = await mkdtemp(join(tmpdir(), 'elle-'));
    try {
      const h = new TxnHistory()
        .invoke(0, [['append', 'x', 1], ['r', 'y', [1]]])
        .invoke(1, [['append', 'y', 1], ['r', 'x', [1]]])
        .ok(0).ok(1);
      const r = await listAppendChecker().check(h.build(), { outDir: dir });
      assert.equal(r.valid, false);
      assert.deepEqual(await readdir(join(dir, 'elle-list-append')), ['G1c-1.dot']);
      const dot = await readFile(join(dir, 'elle-list-append', 'G1c-1.dot'), 'utf8');
      assert.match(dot, /^digraph "G1c" \{/);
      assert.match(dot, /T1 -> T2 \[label="wr"\];/);
      assert.equal((r.anomalies as Record<string, { dotFile: string }[]>).G1c[0].dotFile, join(dir, 'elle-list-append', 'G1c-1.dot'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the run\'s overall budget stops the search across SCCs', async () => {
    const r = await listAppendChecker({ consistencyModels: ['snapshot-isolation'] }).check(rwRing(5000).build(), { budgetMs: 0 });
    assert.equal(r.valid, 'unknown');
  });

  it('an anomaly named in `anomalies` fails the check even where the models allow it', async () => {
    const h = new TxnHistory().txn(0, [['append', 'x', 1]]).txn(1, [['r', 'x', []]]);
    const allowed = await checkListAppend(h.build(), { consistencyModels: ['serializable'] });
    assert.equal(allowed.valid, true);
    assert.deepEqual(allowed.anomalyTypes, ['G-single-item-realtime']);
    const flagged = await checkListAppend(h.build(), { consistencyModels: ['serializable'], anomalies: ['G-single-item-realtime'] });
    assert.equal(flagged.valid, false);
  });

  it('skips operations that are not transactions, and nemesis events', async () => {
    const ops = new TxnHistory().txn(0, [['append', 'x', 1]]).txn(0, [['r', 'x', [1]]]).build();
    const extra = [
      { type: 'invoke' as const, process: 'nemesis' as const, f: 'partition', value: null, time: 0, index: 0, line: 1 },
      { type: 'invoke' as const, process: 5, f: 'read', value: null, time: 0, index: 1, line: 2 },
      { type: 'ok' as const, process: 5, f: 'read', value: 3, time: 0, index: 2, line: 3 },
    ];
    const r = await checkListAppend([...extra, ...ops.map((o) => ({ ...o, index: o.index + 3, line: o.line + 3 }))]);
    assert.equal(r.valid, true);
    assert.equal((r.stats as Record<string, number>).skippedOps, 1);
  });

  it('reads history.jsonl text, and its result survives a JSON round trip unchanged', async () => {
    const { ops } = simulate({ seed: 3, txns: 300, processes: 6, isolation: 'snapshot-isolation', activeKeys: 4, writesPerKey: 10, failRate: 0.05, infoRate: 0.05 });
    const text = ops.map((o) => JSON.stringify(o)).join('\n') + '\n';
    const r = await checkListAppend(parseHistory(text, 'history.jsonl').ops);
    assert.equal(r.valid, false);
    assert.ok((r.anomalyTypes as string[]).includes('G2-item'));
    assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
    const h = new TxnHistory().txn(0, [['append', 'x', 1]], 'fail').txn(1, [['r', 'x', []], ['append', 'x', 2]]).txn(2, [['r', 'x', []], ['append', 'x', 3]]).txn(3, [['r', 'x', [1, 2, 3]]]);
    const mixed = await checkListAppend(h.build());
    assert.ok((mixed.anomalyTypes as string[]).includes('lost-update'));
    assert.deepEqual(JSON.parse(JSON.stringify(mixed)), mixed);
  });

  it('an aborted signal stops the search with unknown', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await listAppendChecker({ consistencyModels: ['snapshot-isolation'] }).check(rwRing(50).build(), { signal: ac.signal });
    assert.equal(r.valid, 'unknown');
    assert.ok((r.anomalyTypes as string[]).includes('cycle-search-timeout'));
  });
});
