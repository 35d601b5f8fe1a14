/**
 * The example's Target and Client: how Rift deploys the key-value server of server.mjs and talks to it. One node
 * serves every region (Rift only kills a region while another stays up, so a crash needs two regions), and the
 * target is Killable, so Rift's `kill` fault can crash it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client, Completion, Op, RunDir, Target, TargetDefinition } from 'rift';

const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));

async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as { port: number };
  s.close();
  await once(s, 'close');
  return port;
}

export class KvTarget implements Target {
  readonly name = 'kv';
  private child: ChildProcess | undefined;
  private port = 0;
  private readonly stopOnExit = () => this.child?.kill('SIGKILL');

  constructor(readonly regions: readonly string[], private readonly dir: RunDir, private readonly mode: 'durable' | 'forgetful') {}

  async setup(): Promise<void> {
    this.port = await freePort();
    process.once('exit', this.stopOnExit);
    await this.start();
  }

  async teardown(): Promise<void> {
    await this.kill();
    process.off('exit', this.stopOnExit);
  }

  clientEndpoint(): { host: string; port: number } {
    return { host: '127.0.0.1', port: this.port };
  }

  /** Crashes the node (every region shares it). */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }

  async restart(): Promise<void> {
    if (!this.child) await this.start();
  }

  private async start(): Promise<void> {
    const child = spawn(process.execPath, [SERVER, String(this.port), join(this.dir.data, 'kv.log'), this.mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.child = child;
    const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
    if (!chunk.toString().includes('ready')) throw new Error(`kv server did not start: ${chunk.toString()}`);
  }
}

/** Reads and writes over HTTP. A refused connection never reached the node: a definite `fail`; anything else unknown: `info`. */
export class KvClient implements Client {
  constructor(private readonly target: Target, private readonly region = '') {}

  async open(region: string): Promise<Client> {
    return new KvClient(this.target, region);
  }

  async invoke(op: Op, signal: AbortSignal): Promise<Completion> {
    const { host, port } = this.target.clientEndpoint(this.region);
    const url = `http://${host}:${port}/k/${encodeURIComponent(op.key ?? '')}`;
    try {
      const res = await fetch(url, op.f === 'read' ? { signal } : { method: 'PUT', body: JSON.stringify(op.value), signal });
      const value = await res.json();
      return { type: 'ok', value: op.f === 'read' ? value : op.value };
    } catch (e) {
      const code = ((e as Error).cause as NodeJS.ErrnoException | undefined)?.code;
      return code === 'ECONNREFUSED' ? { type: 'fail', value: op.value, error: 'connection refused' } : { type: 'info', value: op.value, error: (e as Error).message };
    }
  }

  async close(): Promise<void> {}
}

export const kvTarget = (mode: 'durable' | 'forgetful'): TargetDefinition => ({
  name: `kv-${mode}`,
  create: ({ regions, dir }) => new KvTarget(regions, dir, mode),
  client: (target) => new KvClient(target),
});
