import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../../../harness/process/ports.ts';
import { RedisProcess } from './redis-process.ts';
import { LinkProxy } from './link-proxy.ts';
import { signRequest } from '../../../layer/propagator/hmac.ts';

/** The shared secret every test cluster is configured with. */
export const TEST_SECRET = 'test-secret';

/** Headers that authenticate a request as a peer's would (layer/propagator/hmac.ts). */
export function signedHeaders(method: string, target: string, body: string, context = ''): Record<string, string> {
  return signRequest(TEST_SECRET, { method, target, bodyLength: Buffer.byteLength(body), context }, body);
}

const MAIN = new URL('../../../layer/main.ts', import.meta.url).pathname;

export interface LayerProcessOptions {
  bugs?: string[];
  extra?: Record<string, unknown>;
  /** Route every peer link through a LinkProxy that tests can cut. */
  proxied?: boolean;
}

/** A real layer node process (tsx) over its own redis-server. */
export class LayerProcess {
  private child: ChildProcess | null = null;
  output = '';

  constructor(
    readonly region: string,
    readonly port: number,
    readonly redis: RedisProcess,
    readonly configPath: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error(`${this.region} already running`);
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--config', this.configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    // Output accumulates across restarts; only a "listening" line from this start counts.
    const from = this.output.length;
    child.stdout?.on('data', (d) => (this.output += d));
    child.stderr?.on('data', (d) => (this.output += d));
    // A node on an empty data set announces itself only once every peer has answered its snapshot pull, so on a
    // loaded machine it waits for the slowest peer's start as well as its own.
    const deadline = Date.now() + 90_000;
    while (!/"msg":"listening"/.test(this.output.slice(from))) {
      if (child.exitCode !== null) throw new Error(`layer ${this.region} exited ${child.exitCode}: ${this.output}`);
      if (Date.now() > deadline) throw new Error(`layer ${this.region} did not start: ${this.output}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Sends a signal without waiting (SIGSTOP/SIGCONT to pause and resume the node). */
  signal(sig: NodeJS.Signals): void {
    this.child?.kill(sig);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    const child = this.child;
    if (!child) return null;
    this.child = null;
    // A child that died by a signal (a failpoint crash is SIGKILL) has no exit code but a signal code.
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    return new Promise((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill(signal);
    });
  }
}

/** N regions, each a redis-server plus a layer node, peers wired directly (no proxy). */
export class Cluster {
  /** Links by "from>to" when the cluster is proxied. */
  readonly links = new Map<string, LinkProxy>();

  private constructor(
    readonly nodes: LayerProcess[],
    private readonly dir: string,
  ) {}

  /** Cuts (or heals) every link between `region` and the others, both ways. */
  isolate(region: string, cut = true): void {
    for (const [name, link] of this.links) if (name.split('>').includes(region)) link.setCut(cut);
  }

  static async start(regions: string[], opts: LayerProcessOptions = {}): Promise<Cluster> {
    const dir = mkdtempSync(join(tmpdir(), 'rift-layer-'));
    const nodes: LayerProcess[] = [];
    const cluster = new Cluster(nodes, dir);
    // One allocation for every node and Redis, so no two of them can be handed the same released port.
    const pairs = regions.flatMap((f) => regions.filter((t) => t !== f).map((t) => `${f}>${t}`));
    const all = await freePorts(regions.length * 2 + (opts.proxied ? pairs.length : 0));
    const ports = all.slice(0, regions.length);
    pairs.forEach((name, j) => {
      if (opts.proxied) cluster.links.set(name, new LinkProxy(all[regions.length * 2 + j], ports[regions.indexOf(name.split('>')[1])]));
    });
    const peerUrl = (from: string, to: string) =>
      `http://127.0.0.1:${opts.proxied ? cluster.links.get(`${from}>${to}`)!.listenPort : ports[regions.indexOf(to)]}`;
    try {
      for (const link of cluster.links.values()) await link.start();
      for (const [i, region] of regions.entries()) {
        const redis = await RedisProcess.start(all[regions.length + i]);
        const configPath = join(dir, `${region}.json`);
        const peers = Object.fromEntries(regions.filter((r) => r !== region).map((r) => [r, peerUrl(region, r)]));
        const config = {
          region, regions, host: '127.0.0.1', port: ports[i],
          redis: { host: '127.0.0.1', port: redis.port, password: redis.password }, peers,
          secret: TEST_SECRET, adminToken: 'test-admin', bugs: opts.bugs ?? [], logLevel: 'warn',
          probeIntervalMs: 100, peerDownAfterMs: 600, peerTimeoutMs: 500,
          ...opts.extra,
        };
        writeFileSync(configPath, JSON.stringify(config));
        nodes.push(new LayerProcess(region, ports[i], redis, configPath));
      }
      await Promise.all(nodes.map((n) => n.start()));
    } catch (e) {
      await cluster.dispose();
      throw e;
    }
    return cluster;
  }

  node(region: string): LayerProcess {
    const n = this.nodes.find((x) => x.region === region);
    if (!n) throw new Error(`no node ${region}`);
    return n;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.links.values()].map((l) => l.stop()));
    await Promise.all(this.nodes.map(async (n) => {
      await n.kill();
      await n.redis.dispose();
    }));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function http(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; text: string }> {
  const res = await fetch(url + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text };
}

/** Polls `check` until it returns true or `ms` pass. */
export async function eventually(check: () => Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    let passed = false;
    try {
      passed = await check();
    } catch {
      // A node that is restarting refuses connections; keep polling until the deadline.
    }
    if (passed) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Reads a key until a region answers 200 (a region just back from a fault may refuse for a moment with a
 * definite 503) and returns the value; the checks are on values, never on a transient refusal.
 */
export async function settledValue(url: string, path: string, ms = 15_000): Promise<unknown> {
  let last = '';
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const r = await http(url, 'GET', path);
      if (r.status === 200) return r.body.value;
      last = r.text;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`no 200 from ${url}${path} within ${ms} ms; last: ${last}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
