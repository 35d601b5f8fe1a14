import { strict as assert } from 'node:assert';
import type { Results } from '../../../harness/core/checker.ts';
import { computeAvailability } from '../../../checkers/availability.ts';
import { checkConvergence } from '../../../checkers/convergence.ts';
import { checkListAppend } from '../../../checkers/elle/index.ts';
import { checkLinearizable } from '../../../checkers/linearizable/index.ts';
import { computeStats } from '../../../checkers/stats.ts';
import { mergeValidity } from '../../../harness/core/checker.ts';
import { blamedLines } from '../../../reports/html/anomaly.ts';
import { renderReport } from '../../../reports/html/page.ts';
import { renderJUnit } from '../../../reports/junit.ts';
import { brokenRun } from '../history-fixture.ts';

describe('reports/html with the real checkers', function () {
  this.timeout(60_000);

  it('renders and blames what the linearizability, Elle and convergence checkers report', async () => {
    const history = brokenRun();
    const registerOps = history.filter((o) => o.f !== 'txn');
    const txnOps = history.filter((o) => o.f === 'txn' || o.process === 'nemesis');
    const checkers = {
      linearizable: await checkLinearizable(registerOps, { model: 'register', initial: 0, workers: 1 }),
      'elle-list-append': await checkListAppend(txnOps, { consistencyModels: ['serializable'] }),
      convergence: await checkConvergence(registerOps),
      stats: await computeStats(history),
      availability: await computeAvailability(history),
    };
    const results: Results = { valid: mergeValidity(Object.values(checkers).map((c) => c.valid)), checkers };
    assert.equal(checkers.linearizable.valid, false, JSON.stringify(checkers.linearizable));
    assert.equal(checkers['elle-list-append'].valid, false, JSON.stringify(checkers['elle-list-append']));
    assert.equal(checkers.convergence.valid, false, JSON.stringify(checkers.convergence));

    const blamed = blamedLines(results);
    assert.ok(blamed.get(4)?.some((b) => b.checker === 'linearizable' && b.what === 'cannot be linearized'), 'the stale read is blamed');
    assert.ok(!blamed.get(2)?.some((b) => b.checker === 'linearizable'), 'the linearized write is context, not blamed');
    assert.ok([9, 10].every((l) => blamed.get(l)?.some((b) => b.checker === 'elle-list-append')), 'both appenders are blamed');
    assert.ok([17, 18].every((l) => blamed.get(l)?.some((b) => b.checker === 'convergence' && b.what === 'regions disagree')), 'the disagreeing final reads are blamed');

    const html = renderReport({ history, results, run: { name: 'broken', nemesis: ['partition'] } });
    assert.match(html, /<li class="stuck"><a class="ln" href="#op-3">line 3<\/a>/);
    assert.match(html, /Checked against: <span class="chip">serializable<\/span>/);
    const closeUp = /<svg class="closeup"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    assert.match(closeUp, /<g class="cu placed"><title>line 1→2 · write 1 → 1 · [^<]*#1 in the order found<\/title>/);
    assert.match(closeUp, /<g class="cu stuck"><title>line 3→4 · read → 0 · [^<]*cannot be placed<\/title>/);
    assert.match(html, /<ol class="steps why">[\s\S]*?class="closes"/, 'the Elle cycle is shown step by step');
    assert.match(html, /<ul class="txns"><li><b>T1<\/b>/);
    assert.match(html, /Regions disagree \(1 key\)/);
    assert.match(html, /<td>eu-west<\/td><td><code>0<\/code><\/td><td class="num">18<\/td>/);
    for (const l of [4, 9, 10, 17, 18]) assert.ok(html.includes(`id="op-${l}"`), `anchor for line ${l}`);
    const xml = renderJUnit({ results, history, run: { name: 'broken', nemesis: ['partition'] } });
    assert.match(xml, /<testcase name="linearizable"[^>]*>\n\s*<failure message="key r: /);
  });
});
