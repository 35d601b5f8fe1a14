import type { Op } from './core/op.ts';
import { faultOutcome, faultTarget, undoEnds, undoneKinds } from './core/faults.ts';

export interface ProgressOptions {
  /** Non-TTY heartbeat period (default 10 s). */
  heartbeatMs?: number;
  now?: () => number;
}

/**
 * What a run is doing, for whoever watches. On a TTY: one status line (phase, ETA, operations, faults in force),
 * redrawn at most 4 times a second. Elsewhere (stdout not a terminal, or CI set): log lines, so a CI log shows the
 * run moving: each phase change, each fault taking effect, failing or being undone, and a heartbeat with counts.
 */
export class Progress {
  private readonly tty: boolean;
  private readonly heartbeatMs: number;
  private readonly now: () => number;
  private ops = 0;
  private failed = 0;
  private unknown = 0;
  private faults: { kind: string; target?: string; label: string }[] = [];
  private phase = 'starting';
  private phaseEnds: number | undefined;
  private finalSeen = false;
  private catchUpSeen = false;
  private readonly started: number;
  private timer: NodeJS.Timeout | undefined;
  private nemesisInvoke: Op | undefined;

  constructor(private readonly stream: NodeJS.WriteStream = process.stdout, opts: ProgressOptions = {}) {
    this.tty = Boolean(stream.isTTY) && !process.env.CI;
    this.heartbeatMs = opts.heartbeatMs ?? 10_000;
    this.now = opts.now ?? Date.now;
    this.started = this.now();
  }

  start(): void {
    this.timer = this.tty ? setInterval(() => this.draw(), 250) : setInterval(() => this.heartbeat(), this.heartbeatMs);
    this.timer.unref();
  }

  /** `expectedS`: how long the phase should take, for the ETA. */
  setPhase(phase: string, expectedS?: number): void {
    if (phase === this.phase) return;
    this.phase = phase;
    this.phaseEnds = expectedS === undefined ? undefined : this.now() + expectedS * 1000;
    if (this.tty) this.draw();
    else this.log(`rift: ${this.elapsed()} ${phase}`);
  }

  event(op: Op): void {
    if (op.process === 'nemesis') {
      this.nemesisEvent(op);
      return;
    }
    if (op.meta?.catchUp !== undefined && !this.catchUpSeen) {
      this.catchUpSeen = true;
      this.setPhase('catching up');
    }
    if (op.meta?.final === true && !this.finalSeen) {
      this.finalSeen = true;
      this.setPhase('final reads');
    }
    if (op.type === 'invoke' || op.meta?.probe === true) return;
    this.ops++;
    if (op.type === 'fail') this.failed++;
    else if (op.type === 'info') this.unknown++;
  }

  /** Writes a line that stays (the status line is redrawn below it). */
  log(line: string): void {
    this.stream.write(this.tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.tty) this.stream.write('\r\x1b[2K');
  }

  private nemesisEvent(op: Op): void {
    if (op.type === 'invoke') {
      this.nemesisInvoke = op;
      return;
    }
    const invoke = this.nemesisInvoke;
    this.nemesisInvoke = undefined;
    const f = invoke?.f ?? op.f;
    // What was asked names the fault; a completion's value says what happened ("cleared latency"), not whom to undo.
    const asked = invoke ? invoke.value : op.value;
    const target = faultTarget(f, asked);
    const what = `${f}${target ? ` ${target}` : ''}`;
    const outcome = faultOutcome(op);
    const undone = undoneKinds(f, asked);
    const undo = undone.length > 0;
    if (outcome.kind === 'failed') {
      if (!this.tty) this.log(`rift: ${this.elapsed()} ${what} did not take effect: ${outcome.why}`);
      return;
    }
    if (undo) this.faults = this.faults.filter((x) => !undoEnds(undone, target, x));
    else this.faults.push({ kind: f, ...(target !== undefined ? { target } : {}), label: what });
    if (!this.tty) this.log(`rift: ${this.elapsed()} ${undo ? `${what} took effect, undoing ${undone[0] === '*' ? 'every fault' : undone.join(', ')}` : `fault ${what} took effect`}`);
  }

  private elapsed(): string {
    return `[${((this.now() - this.started) / 1000).toFixed(0)}s]`;
  }

  private heartbeat(): void {
    const fault = this.faults.length ? this.faults.map((x) => x.label).join(', ') : 'none';
    this.log(`rift: ${this.elapsed()} ${this.phase} · ${this.ops} ops (${this.failed} failed, ${this.unknown} unknown) · faults in force: ${fault}`);
  }

  private draw(): void {
    const fault = this.faults.length ? this.faults.map((x) => x.label).join(', ') : 'none';
    const eta = this.phaseEnds === undefined ? '' : ` (eta ${Math.max(0, Math.ceil((this.phaseEnds - this.now()) / 1000))}s)`;
    const line = `${this.elapsed()} ${this.phase}${eta} · ${this.ops} ops · fault: ${fault}`;
    this.stream.write(`\r\x1b[2K${line.slice(0, (this.stream.columns ?? 120) - 1)}`);
  }
}
