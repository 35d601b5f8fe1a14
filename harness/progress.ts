import type { Op } from './core/op.ts';

/**
 * A one-line status on a TTY (operations, current fault, elapsed), redrawn at most 4 times a second; silent
 * when stdout is not a terminal or CI is set, so logs stay clean.
 */
export class Progress {
  private readonly enabled: boolean;
  private ops = 0;
  private faults: string[] = [];
  private phase = 'starting';
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(stream: NodeJS.WriteStream = process.stdout) {
    this.enabled = Boolean(stream.isTTY) && !process.env.CI;
    this.stream = stream;
  }
  private readonly stream: NodeJS.WriteStream;

  start(): void {
    if (!this.enabled) return;
    this.timer = setInterval(() => this.draw(), 250);
    this.timer.unref();
  }

  setPhase(phase: string): void {
    this.phase = phase;
    if (!this.enabled) return;
    this.draw();
  }

  event(op: Op): void {
    if (op.process === 'nemesis') {
      if (op.type === 'info') {
        if (/^(heal|restart|resume|clear-)/.test(op.f)) this.faults = [];
        else if (op.meta?.tookEffect) this.faults.push(`${op.f}${typeof op.value === 'string' ? ` (${op.value})` : ''}`);
      }
    } else if (op.type !== 'invoke' && op.meta?.probe !== true) {
      this.ops++;
    }
  }

  /** Writes a line that stays (the status line is redrawn below it). */
  log(line: string): void {
    this.stream.write(this.enabled ? `\r\x1b[2K${line}\n` : `${line}\n`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.enabled) this.stream.write('\r\x1b[2K');
  }

  private draw(): void {
    const s = ((Date.now() - this.started) / 1000).toFixed(0);
    const fault = this.faults.length ? this.faults.join(', ') : 'none';
    const line = `[${s}s] ${this.phase} · ${this.ops} ops · fault: ${fault}`;
    this.stream.write(`\r\x1b[2K${line.slice(0, (this.stream.columns ?? 120) - 1)}`);
  }
}
