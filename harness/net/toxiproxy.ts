import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../process/ports.ts';
import { REPO_ROOT } from '../process/repo-root.ts';
import { spawnGroup, type ProcessGroup } from '../process/spawn.ts';
import { Wait, waitUntilReady } from '../process/wait.ts';

/**
 * A typed client for the real Toxiproxy server's HTTP API, and a way to run that server.
 *
 * Not the npm client: it has no request timeouts, drops the server's error body, does not URL-encode
 * names and updates with the deprecated POST (DEPENDENCIES.md §2). Every call here has a timeout and is
 * retried on transport errors and 503, because removing a toxic under load can hang the API for the
 * server's 25 s handler timeout (Toxiproxy #558). A retried create that finds its object already there
 * (409), or a retried delete that finds it gone (404), counts as success, since the first attempt may
 * have landed before its response was lost.
 */

export type Stream = 'upstream' | 'downstream';

export interface ToxicAttributes {
  latency: { latency: number; jitter: number };
  bandwidth: { rate: number };
  slow_close: { delay: number };
  timeout: { timeout: number };
  reset_peer: { timeout: number };
  slicer: { average_size: number; size_variation: number; delay: number };
  limit_data: { bytes: number };
}
export type ToxicType = keyof ToxicAttributes;

export interface Toxic<T extends ToxicType = ToxicType> {
  name: string;
  type: T;
  stream: Stream;
  toxicity: number;
  attributes: ToxicAttributes[T];
}

export interface ProxySpec {
  name: string;
  /** host:port; port 0 lets the server pick one (read it back from `listen`). */
  listen: string;
  upstream: string;
  enabled?: boolean;
}

export interface Proxy {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: Toxic[];
}

export class ToxiproxyError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number | undefined,
    readonly detail: string,
  ) {
    super(`toxiproxy ${method} ${path}: ${status === undefined ? '' : `HTTP ${status}: `}${detail}`);
  }
}

export interface ClientOptions {
  /** Per attempt. */
  timeoutMs?: number;
  /** Extra attempts after a transport error, timeout or 503. */
  retries?: number;
}

interface RequestOptions {
  /** Statuses that mean "already done" when seen on a retry. */
  doneOnRetry?: number[];
}

const enc = encodeURIComponent;

export class ToxiproxyClient {
  private readonly timeoutMs: number;
  private readonly retries: number;

  constructor(readonly url: string, opts: ClientOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.retries = opts.retries ?? 3;
  }

  private async request<T>(method: string, path: string, body?: unknown, ro: RequestOptions = {}): Promise<T | undefined> {
    let last: ToxiproxyError | undefined;
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** (attempt - 1)));
      let res: Response;
      try {
        res = await fetch(this.url + path, {
          method,
          headers: body === undefined ? undefined : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (e) {
        last = new ToxiproxyError(method, path, undefined, `${(e as Error).message} (attempt ${attempt + 1})`);
        continue;
      }
      const text = await res.text();
      if (res.ok) return text === '' ? undefined : (JSON.parse(text) as T);
      if (attempt > 0 && ro.doneOnRetry?.includes(res.status)) return undefined;
      let detail = text.trim();
      try {
        detail = (JSON.parse(text) as { error?: string }).error ?? detail;
      } catch {
        // The 503 of Go's TimeoutHandler is plain text; keep it as is.
      }
      last = new ToxiproxyError(method, path, res.status, detail);
      if (res.status !== 503) throw last;
    }
    throw last!;
  }

  async version(): Promise<string> {
    return (await this.request<{ version: string }>('GET', '/version'))!.version;
  }

  async proxies(): Promise<Record<string, Proxy>> {
    return (await this.request<Record<string, Proxy>>('GET', '/proxies'))!;
  }

  async getProxy(name: string): Promise<Proxy> {
    return (await this.request<Proxy>('GET', `/proxies/${enc(name)}`))!;
  }

  async createProxy(spec: ProxySpec): Promise<Proxy> {
    const made = await this.request<Proxy>('POST', '/proxies', { enabled: true, ...spec }, { doneOnRetry: [409] });
    return made ?? this.getProxy(spec.name);
  }

  async updateProxy(name: string, patch: Partial<Omit<ProxySpec, 'name'>>): Promise<Proxy> {
    return (await this.request<Proxy>('PATCH', `/proxies/${enc(name)}`, patch))!;
  }

  async setEnabled(name: string, enabled: boolean): Promise<Proxy> {
    return this.updateProxy(name, { enabled });
  }

  async deleteProxy(name: string): Promise<void> {
    await this.request('DELETE', `/proxies/${enc(name)}`, undefined, { doneOnRetry: [404] });
  }

  async toxics(proxy: string): Promise<Toxic[]> {
    return (await this.request<Toxic[]>('GET', `/proxies/${enc(proxy)}/toxics`))!;
  }

  async addToxic<T extends ToxicType>(proxy: string, toxic: Toxic<T>): Promise<Toxic<T>> {
    const made = await this.request<Toxic<T>>('POST', `/proxies/${enc(proxy)}/toxics`, toxic, { doneOnRetry: [409] });
    return made ?? toxic;
  }

  async updateToxic<T extends ToxicType>(proxy: string, name: string, patch: Partial<Toxic<T>>): Promise<Toxic<T>> {
    return (await this.request<Toxic<T>>('PATCH', `/proxies/${enc(proxy)}/toxics/${enc(name)}`, patch))!;
  }

  async removeToxic(proxy: string, name: string): Promise<void> {
    await this.request('DELETE', `/proxies/${enc(proxy)}/toxics/${enc(name)}`, undefined, { doneOnRetry: [404] });
  }

  /** Enables every proxy and removes every toxic. */
  async reset(): Promise<void> {
    await this.request('POST', '/reset');
  }
}

/** The `.tools/bin` binary that scripts/setup.sh installs; RIFT_TOXIPROXY_BIN overrides it. */
export function toxiproxyBinary(): string {
  const bin = process.env.RIFT_TOXIPROXY_BIN ?? join(REPO_ROOT, '.tools/bin/toxiproxy-server');
  if (!existsSync(bin)) throw new Error(`toxiproxy-server not found at ${bin}: run \`bash scripts/setup.sh\` (or set RIFT_TOXIPROXY_BIN)`);
  return bin;
}

export interface ToxiproxyServer extends AsyncDisposable {
  readonly url: string;
  readonly client: ToxiproxyClient;
  readonly group: ProcessGroup;
  stop(): Promise<void>;
}

export async function startToxiproxy(opts: { logFile: string; pidFile?: string; seed?: number; client?: ClientOptions }): Promise<ToxiproxyServer> {
  const port = await freePort();
  const args = ['-host', '127.0.0.1', '-port', String(port)];
  // Jitter and toxicity draw from the server's own PRNG; seeding it keeps a run's network as replayable as it can be.
  if (opts.seed !== undefined) args.push('-seed', String(opts.seed));
  const group = spawnGroup({ name: 'toxiproxy', command: toxiproxyBinary(), args, logFile: opts.logFile, pidFile: opts.pidFile });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(Wait.forHttp(`${url}/version`, (s) => s === 200, 15_000), { name: 'toxiproxy', logFile: opts.logFile, exited: group.exited });
  } catch (e) {
    await group.stop(500);
    throw e;
  }
  const stop = async () => {
    await group.stop(2000);
  };
  return { url, client: new ToxiproxyClient(url, opts.client), group, stop, [Symbol.asyncDispose]: stop };
}
