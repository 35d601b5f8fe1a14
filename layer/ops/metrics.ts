/** A minimal Prometheus text exposition: counters, gauges and cumulative histograms with labels. */
type Labels = Record<string, string>;

const labelKey = (l: Labels) =>
  Object.keys(l)
    .sort()
    .map((k) => `${k}="${l[k].replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');

class Family {
  readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge',
  ) {}
}

export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[],
  ) {
    this.counts = buckets.map(() => 0);
  }
  observe(v: number): void {
    this.sum += v;
    this.count++;
    for (let i = 0; i < this.buckets.length; i++) if (v <= this.buckets[i]) this.counts[i]++;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.buckets.forEach((b, i) => lines.push(`${this.name}_bucket{le="${b}"} ${this.counts[i]}`));
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`);
    return lines.join('\n');
  }
}

export class Metrics {
  private readonly families = new Map<string, Family>();
  private readonly histograms: Histogram[] = [];
  /** Gauges computed on scrape (lag, degraded) rather than maintained on every event. */
  private readonly collectors: (() => void)[] = [];

  counter(name: string, help: string): (labels?: Labels, by?: number) => void {
    const f = this.family(name, help, 'counter');
    return (labels = {}, by = 1) => {
      const k = labelKey(labels);
      f.values.set(k, (f.values.get(k) ?? 0) + by);
    };
  }

  gauge(name: string, help: string): (labels: Labels, value: number) => void {
    const f = this.family(name, help, 'gauge');
    return (labels, value) => f.values.set(labelKey(labels), value);
  }

  histogram(name: string, help: string, buckets: number[]): Histogram {
    const h = new Histogram(name, help, buckets);
    this.histograms.push(h);
    return h;
  }

  onCollect(fn: () => void): void {
    this.collectors.push(fn);
  }

  render(): string {
    for (const c of this.collectors) c();
    const parts: string[] = [];
    for (const f of this.families.values()) {
      parts.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
      for (const [k, v] of f.values) parts.push(k ? `${f.name}{${k}} ${v}` : `${f.name} ${v}`);
    }
    for (const h of this.histograms) parts.push(h.render());
    return parts.join('\n') + '\n';
  }

  private family(name: string, help: string, type: 'counter' | 'gauge'): Family {
    let f = this.families.get(name);
    if (!f) this.families.set(name, (f = new Family(name, help, type)));
    return f;
  }
}

export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
