import { strict as assert } from 'node:assert';
import type { Op } from '../../../harness/core/op.ts';
import { faultWindows } from '../../../reports/html/fault-windows.ts';
import { opSpans } from '../../../reports/html/spans.ts';
import { packLanes, renderTimeline } from '../../../reports/html/timeline.ts';
import { indexed, smallRun } from '../history-fixture.ts';

const MS = 1e6;
const op = (type: Op['type'], process: number, ms: number, region = 'us-east'): Op => ({ type, process, f: 'read', key: 'k', value: null, time: ms * MS, region });

describe('reports/html/timeline', () => {
  it('hands the lane of a process retired after a timeout to the process that replaces it', () => {
    const h = indexed([
      op('invoke', 0, 0), op('invoke', 1, 1), op('info', 0, 10), op('ok', 1, 11),
      op('invoke', 5, 12), op('ok', 5, 20),
      op('invoke', 2, 2, 'eu-west'), op('ok', 2, 3, 'eu-west'),
    ].sort((a, b) => a.time - b.time));
    const lanes = packLanes(opSpans(h).spans);
    assert.deepEqual(lanes.get('us-east')!.map((l) => l.processes), [[0, 5], [1]]);
    assert.deepEqual(lanes.get('eu-west')!.map((l) => l.processes), [[2]]);
  });

  it('gives convergence probes lanes of their own, after the clients', () => {
    const probe = (type: Op['type'], process: number, ms: number): Op => ({ ...op(type, process, ms), f: 'digest', meta: { probe: true } });
    const h = indexed([probe('invoke', 9, 0), op('invoke', 0, 1), probe('info', 9, 2), op('ok', 0, 3), probe('invoke', 10, 4), op('invoke', 1, 5), probe('ok', 10, 6), op('ok', 1, 7)]);
    const lanes = packLanes(opSpans(h).spans).get('us-east')!;
    assert.deepEqual(lanes.map((l) => [l.probe, l.processes]), [[false, [0, 1]], [true, [9, 10]]]);
    assert.match(renderTimeline(opSpans(h), faultWindows(h), new Map()).svg, />probes<\/text>/);
  });

  it('draws one bar per op below the thresholds and aggregates above them', () => {
    const sp = opSpans(smallRun());
    const f = faultWindows(smallRun());
    const ops = renderTimeline(sp, f, new Map());
    assert.equal(ops.mode, 'ops');
    assert.equal(ops.drawn, 5);
    assert.equal(ops.lanes, 3);
    const agg = renderTimeline(sp, f, new Map(), { maxBars: 2 });
    assert.equal(agg.mode, 'aggregated');
    assert.ok(!agg.svg.includes('<title>lines'), 'no per-op bars');
    assert.ok(agg.drawn >= 3 && agg.drawn <= 5, `buckets drawn: ${agg.drawn}`);
  });

  it('cuts a fault label to its bar, keeping the full text in the tooltip', () => {
    const h = indexed([
      { type: 'invoke', process: 'nemesis', f: 'partition', value: null, time: 0 },
      { type: 'info', process: 'nemesis', f: 'partition', value: 'a very long description of which regions were cut off from which', time: 1 * MS },
      { type: 'invoke', process: 'nemesis', f: 'heal', value: null, time: 9 * MS },
      { type: 'info', process: 'nemesis', f: 'heal', value: 'healed', time: 10 * MS },
      op('invoke', 0, 0), op('ok', 0, 100),
    ]);
    const svg = renderTimeline(opSpans(h), faultWindows(h), new Map()).svg;
    assert.match(svg, /<title>partition: a very long description of which regions were cut off from which — from/);
    const shown = /<g class="fb">.*?<text[^>]*>([^<]*)<\/text>/.exec(svg)?.[1] ?? '';
    assert.ok(shown.endsWith('…') || svg.includes('class="beside"'), `label: ${shown}`);
  });

  it('keeps thousands of fault windows to a few merged, unlabelled bands', () => {
    const ops: Op[] = [op('invoke', 0, 0), op('ok', 0, 10_000)];
    for (let i = 0; i < 5000; i++) {
      ops.push({ type: 'invoke', process: 'nemesis', f: i % 2 ? 'kill' : 'partition', value: 'us-east', time: i * 2 * MS });
      ops.push({ type: 'info', process: 'nemesis', f: i % 2 ? 'kill' : 'partition', value: 'done', time: (i * 2 + 0.1) * MS });
      ops.push({ type: 'invoke', process: 'nemesis', f: i % 2 ? 'restart' : 'heal', value: 'us-east', time: (i * 2 + 1) * MS });
      ops.push({ type: 'info', process: 'nemesis', f: i % 2 ? 'restart' : 'heal', value: 'done', time: (i * 2 + 1.1) * MS });
    }
    const h = indexed(ops.sort((a, b) => a.time - b.time));
    const t = renderTimeline(opSpans(h), faultWindows(h), new Map());
    assert.ok(t.svg.length < 200_000, `svg is ${t.svg.length} bytes`);
    assert.ok((t.svg.match(/class="fw"/g) ?? []).length <= 2 * 1100, 'at most one band per kind per pixel');
    assert.ok(!t.svg.includes('class="beside"'), 'no labels that could not be read');
  });
});

