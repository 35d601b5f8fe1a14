import { strict as assert } from 'node:assert';
import { Metrics } from '../../../layer/ops/metrics.ts';

describe('metrics exposition', () => {
  it('renders counters, gauges and cumulative histograms in Prometheus text format', () => {
    const m = new Metrics();
    const c = m.counter('rift_conflicts_total', 'Conflicts');
    c({ strategy: 'lww' });
    c({ strategy: 'lww' }, 2);
    c({ strategy: 'or-set' });
    const g = m.gauge('rift_degraded', 'Degraded');
    m.onCollect(() => g({}, 1));
    const h = m.histogram('rift_write_latency_seconds', 'Latency', [0.001, 0.01]);
    h.observe(0.0005);
    h.observe(0.005);
    h.observe(5);
    const text = m.render();
    assert.match(text, /^# TYPE rift_conflicts_total counter$/m);
    assert.match(text, /^rift_conflicts_total\{strategy="lww"\} 3$/m);
    assert.match(text, /^rift_conflicts_total\{strategy="or-set"\} 1$/m);
    assert.match(text, /^rift_degraded 1$/m);
    assert.match(text, /^rift_write_latency_seconds_bucket\{le="0.001"\} 1$/m);
    assert.match(text, /^rift_write_latency_seconds_bucket\{le="0.01"\} 2$/m);
    assert.match(text, /^rift_write_latency_seconds_bucket\{le="\+Inf"\} 3$/m);
    assert.match(text, /^rift_write_latency_seconds_count 3$/m);
    assert.ok(text.endsWith('\n'));
  });

  it('escapes label values', () => {
    const m = new Metrics();
    m.counter('x_total', 'x')({ peer: 'a"b\\c' });
    assert.match(m.render(), /^x_total\{peer="a\\"b\\\\c"\} 1$/m);
  });
});
