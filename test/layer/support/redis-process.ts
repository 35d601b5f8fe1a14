import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { freePort } from '../../../harness/process/ports.ts';
import { connectRedis } from '../../../layer/store/redis.ts';

/**
 * A real redis-server for one test: AOF with fsync on every write, so a kill -9 loses nothing acknowledged; loopback
 * only, with a password of its own (as the local target runs it), set in a config file rather than on the command line.
 */
export class RedisProcess {
  private child: ChildProcess | null = null;
  readonly dir: string;
  readonly password = randomBytes(16).toString('hex');

  private constructor(readonly port: number) {
    this.dir = mkdtempSync(join(tmpdir(), 'rift-redis-'));
  }

  static async start(port?: number): Promise<RedisProcess> {
    const r = new RedisProcess(port ?? (await freePort()));
    await r.restart();
    return r;
  }

  /** (Re)starts the server on the same port and data directory. */
  async restart(): Promise<void> {
    if (this.child) throw new Error('redis-server already running');
    const conf = join(this.dir, 'redis.conf');
    writeFileSync(conf, `requirepass ${this.password}\n`, { mode: 0o600 });
    const child = spawn(
      'redis-server',
      [conf, '--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    let out = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (out += d));
    const deadline = Date.now() + 10_000;
    while (!/Ready to accept connections/.test(out)) {
      if (child.exitCode !== null) throw new Error(`redis-server exited: ${out}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not start: ${out}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  client(): Redis {
    return new Redis({ host: '127.0.0.1', port: this.port, password: this.password, commandTimeout: 2_000, maxRetriesPerRequest: 1 });
  }

  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The real redis-server of one mocha suite, as the layer connects to it (`redis`) and as a test inspects it
 * (`admin`): started before the suite, emptied with its command counts reset before each test, gone after it.
 */
export function redisForSuite(): { readonly server: RedisProcess; readonly redis: Redis; readonly admin: Redis } {
  const db = {} as { server: RedisProcess; redis: Redis; admin: Redis };
  before(async () => {
    db.server = await RedisProcess.start();
    db.redis = connectRedis('127.0.0.1', db.server.port, db.server.password);
    db.admin = db.server.client();
  });
  beforeEach(async () => {
    await db.admin.flushall();
    await db.admin.config('RESETSTAT');
  });
  after(async () => {
    db.redis?.disconnect();
    db.admin?.disconnect();
    await db.server?.dispose();
  });
  return db;
}
