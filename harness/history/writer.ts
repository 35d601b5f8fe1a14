import { openSync, writeSync, fsyncSync, closeSync } from 'node:fs';
import type { Op } from '../core/op.ts';

/**
 * Appends events to history.jsonl as they happen. Each event is one write(2) of a whole line, so a crash
 * loses at most the line being written; fsync runs on close and on demand rather than per line, which
 * would cap the harness at disk-flush speed.
 */
export class HistoryWriter implements Disposable {
  private fd: number | undefined;
  count = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  append(op: Op): void {
    if (this.fd === undefined) throw new Error(`history ${this.path} is closed`);
    writeSync(this.fd, JSON.stringify(op) + '\n');
    this.count++;
  }

  flush(): void {
    if (this.fd !== undefined) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
