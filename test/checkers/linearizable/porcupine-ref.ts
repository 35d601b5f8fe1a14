import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { IndexedOp } from '../../../harness/core/op.ts';
import { pairOps } from '../../../harness/history/pairs.ts';

/** The Go module wrapping Porcupine (test/differential/porcupine); see its main.go for the JSON it reads. */
const moduleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'differential', 'porcupine');
const GO = process.env.GO ?? '/usr/local/go/bin/go';
const run = promisify(execFile);

export interface PorcupineOp {
  client: number;
  call: number;
  ret: number;
  f: string;
  key: string;
  arg: unknown;
  out: unknown;
  unknown: boolean;
}

export type PorcupineVerdict = 'Ok' | 'Illegal' | 'Unknown';

/** Reference runs still going, so a failing or timed-out test can still kill them in its after hook. */
const running = new Set<ChildProcess>();

/** Builds the reference program into a fresh temp dir; dispose() kills any run still going and removes the dir. */
export async function buildPorcupineRef(): Promise<{ bin: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'rift-porcheck-'));
  const bin = path.join(dir, 'porcheck');
  try {
    await run(GO, ['build', '-o', bin, '.'], { cwd: moduleDir, env: { ...process.env, GOFLAGS: '-mod=mod' }, timeout: 300_000 });
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const dispose = async (): Promise<void> => {
    for (const child of running) child.kill('SIGKILL');
    running.clear();
    await rm(dir, { recursive: true, force: true });
  };
  return { bin, dispose };
}

/**
 * A Rift history as Porcupine operations: fail ops dropped, times = event indexes, and an op of unknown outcome
 * returning after everything else with an unknown output (CHECKERS.md §5.2), so both tools see the same semantics.
 */
export function toPorcupineOps(history: readonly IndexedOp[]): PorcupineOp[] {
  const late = history.length + 1;
  return pairOps(history)
    .filter((p) => p.type !== 'fail')
    .map((p, i) => ({
      client: p.invoke.process as number,
      call: p.invoke.index,
      ret: p.type === 'ok' ? p.complete!.index : late + i,
      f: p.invoke.f,
      key: p.invoke.key ?? '',
      arg: p.invoke.value ?? null,
      out: p.type === 'ok' ? p.complete!.value : null,
      unknown: p.type !== 'ok',
    }));
}

export interface RefRun {
  verdict: PorcupineVerdict;
  ns: number;
}

/** Runs Porcupine over many histories in one process, killed if it outlives `wallMs`. */
export async function runPorcupine(bin: string, model: 'register' | 'cas-register' | 'kv', histories: PorcupineOp[][], timeoutMs = 0, wallMs = 600_000): Promise<RefRun[]> {
  const input = JSON.stringify({ model, timeoutMs, histories });
  const out = await new Promise<string>((resolve, reject) => {
    const child = execFile(bin, [], { maxBuffer: 1 << 28, timeout: wallMs, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      running.delete(child);
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(stdout);
    });
    running.add(child);
    child.stdin!.end(input);
  });
  return out
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as RefRun);
}
