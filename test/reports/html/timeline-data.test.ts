import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { Op } from '../../../harness/core/op.ts';
import { faultWindows } from '../../../reports/html/fault-windows.ts';
import { opSpans } from '../../../reports/html/spans.ts';
import { ALPHABET, embedTimelineData, timelineData, unvarints, varints } from '../../../reports/html/timeline-data.ts';
import { indexed, smallRun } from '../history-fixture.ts';

const MS = 1e6;

describe('reports/html/timeline-data', () => {
  it('round-trips any integers through the varint columns', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -(2 ** 40), max: 2 ** 40 })), (ns) => assert.deepEqual(unvarints(varints(ns)), ns)));
  });

  it('writes small numbers in one character and uses no character HTML or JSON would escape', () => {
    assert.equal(varints([0, -1, 1, 22]).length, 4);
    assert.equal(ALPHABET.length, 90);
    assert.ok(!/["\\<&]/.test(ALPHABET));
  });

  it('decodes with the same alphabet in the page script', () => {
    const js = readFileSync(new URL('../../../reports/html/assets/timeline.js', import.meta.url), 'utf8');
    const inPage = /\[\.\.\.'(.*?)'\]\.forEach/.exec(js)?.[1].replace(/\\'/g, "'");
    assert.equal(inPage, ALPHABET);
  });

  it('orders ops by lane then start, with lines, outcomes, blame and faults the page can show', () => {
    const h = smallRun();
    const blamed = new Map([[7, [{ checker: 'linearizable', what: 'cannot be linearized' }]]]);
    const d = timelineData(opSpans(h), faultWindows(h), blamed);
    assert.deepEqual(d.lanes.map((l) => `${l.region}/${l.label}`), ['ap-south/p2', 'eu-west/p1', 'us-east/p0']);
    assert.deepEqual(d.laneEnd, [1, 3, 5]);
    let line = 0;
    assert.deepEqual(unvarints(d.line).map((x) => (line += x)), [7, 2, 15, 1, 8]);
    assert.equal(d.type, 'iooof');
    assert.deepEqual(unvarints(d.dur), [90_000, 23_000, 20_000, 19_000, 30_000]);
    assert.deepEqual(d.blamed, [0, 0]);
    assert.deepEqual(d.blames, ['linearizable: cannot be linearized']);
    assert.deepEqual(d.faults.map((f) => [f.kind, f.start, f.end]), [['partition', 99_000, 299_000]]);
    assert.equal(d.keys[unvarints(d.key)[0]], 'x');
  });

  it('stops embedding values past the budget but always embeds a blamed op\'s', () => {
    const ops: Op[] = [];
    for (let i = 0; i < 50; i++) {
      ops.push({ type: 'invoke', process: 0, f: 'write', key: 'k', value: i, time: i * 10 * MS, region: 'r' });
      ops.push({ type: 'ok', process: 0, f: 'write', key: 'k', value: i, time: (i * 10 + 5) * MS, region: 'r' });
    }
    const h = indexed(ops);
    const d = timelineData(opSpans(h), faultWindows(h), new Map([[99, [{ checker: 'c', what: 'w' }]]]), { maxValueChars: 40 });
    const value = unvarints(d.value);
    assert.equal(d.values[value[0]], '0 → 0');
    assert.equal(value[30], 0, 'past the budget: not embedded');
    assert.equal(d.values[value[49]], '49 → 49', 'the blamed op keeps its value');
  });

  it('embeds as an inert template whose text cannot end the element', () => {
    const h = indexed([
      { type: 'invoke', process: 0, f: 'write', key: '</template><script>x</script>&amp;', value: '<b>', time: 0, region: 'r' },
      { type: 'ok', process: 0, f: 'write', key: '</template><script>x</script>&amp;', value: '<b>', time: MS, region: 'r' },
    ]);
    const html = embedTimelineData(timelineData(opSpans(h), faultWindows(h), new Map()));
    assert.equal(html.match(/<\/?template/g)!.length, 2);
    assert.ok(!/<script|&amp;/.test(html));
    const json = html.replace(/^<template id="timeline-data">|<\/template>$/g, '');
    assert.equal(JSON.parse(json).keys[2], '</template><script>x</script>&amp;');
  });
});
