import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import type { ExitStatus } from './spawn.ts';

/**
 * Readiness strategies: small probes polled until they pass or a deadline passes. A failure names what
 * did not become ready and shows the tail of the process's log, because "timed out" alone sends people
 * hunting through log directories.
 */

export interface WaitStrategy {
  /** What is being waited for, e.g. "tcp 127.0.0.1:6390". */
  readonly description: string;
  readonly timeoutMs: number;
  /** One attempt; true when ready. Must not throw for "not yet". */
  probe(): Promise<boolean>;
  withTimeout(ms: number): WaitStrategy;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const POLL_MS = 50;

function strategy(description: string, timeoutMs: number, probe: () => Promise<boolean>): WaitStrategy {
  return { description, timeoutMs, probe, withTimeout: (ms) => strategy(description, ms, probe) };
}

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export function readTail(file: string, lines = 20): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines - 1).join('\n').trimEnd();
  } catch (e) {
    return `(no log: ${(e as Error).message})`;
  }
}

export const Wait = {
  forTcp(host: string, port: number, timeoutMs = DEFAULT_TIMEOUT_MS): WaitStrategy {
    return strategy(`tcp ${host}:${port} accepting connections`, timeoutMs, () => tcpOpen(host, port));
  },

  forHttp(url: string, pred: (status: number, body: string) => boolean = (s) => s === 200, timeoutMs = DEFAULT_TIMEOUT_MS): WaitStrategy {
    return strategy(`http ${url}`, timeoutMs, async () => {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
        return pred(res.status, await res.text());
      } catch {
        return false;
      }
    });
  },

  /** `fromByte` skips what an earlier incarnation of the process already wrote to an appended log. */
  forLog(file: string, pattern: RegExp, timeoutMs = DEFAULT_TIMEOUT_MS, fromByte = 0): WaitStrategy {
    return strategy(`log ${file} matching ${pattern}`, timeoutMs, async () => {
      try {
        return pattern.test(readFileSync(file).subarray(fromByte).toString('utf8'));
      } catch {
        return false;
      }
    });
  },

  /** Ready when every strategy is; the timeout is the longest of theirs unless overridden. */
  forAll(strategies: readonly WaitStrategy[], timeoutMs?: number): WaitStrategy {
    const pending = new Set(strategies);
    const all: WaitStrategy = strategy(
      `all of [${strategies.map((s) => s.description).join('; ')}]`,
      timeoutMs ?? Math.max(0, ...strategies.map((s) => s.timeoutMs)),
      async () => {
        const results = await Promise.all([...pending].map(async (s) => [s, await s.probe()] as const));
        for (const [s, ok] of results) if (ok) pending.delete(s);
        return pending.size === 0;
      },
    );
    // The error message should name only what is still missing, so expose the live remainder.
    Object.defineProperty(all, 'description', {
      get: () => (pending.size === 0 ? 'all ready' : `all of [${[...pending].map((s) => s.description).join('; ')}]`),
    });
    return all;
  },
};

export class NotReadyError extends Error {}

export interface WaitContext {
  /** Who is being waited on, for the message ("redis us-east"). */
  name: string;
  logFile?: string;
  /** The process's exit; waiting stops at once if it dies. */
  exited?: Promise<ExitStatus>;
  signal?: AbortSignal;
}

export async function waitUntilReady(s: WaitStrategy, ctx: WaitContext): Promise<void> {
  const deadline = Date.now() + s.timeoutMs;
  let exit: ExitStatus | undefined;
  void ctx.exited?.then((st) => { exit = st; });
  const fail = (why: string): never => {
    const tail = ctx.logFile ? `\n--- last lines of ${ctx.logFile} ---\n${readTail(ctx.logFile)}` : '';
    throw new NotReadyError(`${ctx.name} did not become ready (${s.description}): ${why}${tail}`);
  };
  for (;;) {
    if (ctx.signal?.aborted) fail('aborted');
    if (await s.probe()) return;
    if (exit) fail(`process exited (code ${exit.code}, signal ${exit.signal})`);
    if (Date.now() >= deadline) fail(`timed out after ${s.timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
