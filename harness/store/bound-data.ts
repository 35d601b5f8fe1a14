/**
 * Bounds what a passing run leaves on disk: its data directories (Redis append-only files, etcd's write-ahead log,
 * which preallocates tens of MB per member) are deleted, and each log over LARGE_LOG bytes keeps only its last
 * KEPT_TAIL bytes. A run that did not pass keeps everything: that is the evidence. history.jsonl, results.json and
 * the reports always stay.
 */
import { closeSync, existsSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunDir } from './run-dir.ts';

export const LARGE_LOG = 1024 * 1024;
export const KEPT_TAIL = 256 * 1024;

/** Bytes below `path` (files and folders, symlinks not followed). */
export function diskBytes(path: string): number {
  const s = statSync(path, { throwIfNoEntry: false });
  if (!s) return 0;
  if (!s.isDirectory()) return s.size;
  let n = 0;
  for (const e of readdirSync(path)) n += diskBytes(join(path, e));
  return n;
}

/** Keeps the last KEPT_TAIL bytes of a log, from the first line that starts in them, under a line saying what was cut. */
function trimLog(file: string, size: number): void {
  const fd = openSync(file, 'r');
  const tail = Buffer.alloc(KEPT_TAIL);
  let got: number;
  try {
    got = readSync(fd, tail, 0, KEPT_TAIL, size - KEPT_TAIL);
  } finally {
    closeSync(fd);
  }
  const nl = tail.subarray(0, got).indexOf(0x0a);
  const kept = tail.subarray(nl + 1, got);
  const tmp = `${file}.trim.tmp`;
  writeFileSync(tmp, Buffer.concat([Buffer.from(`[rift: the first ${size - kept.length} bytes of this log were deleted after the run passed; run with --keep-data to keep them]\n`), kept]));
  renameSync(tmp, file);
}

export interface DataBound {
  /** Bytes freed in all. */
  freedBytes: number;
  /** data/ was deleted. */
  dataDeleted: boolean;
  /** Logs cut to their tail, relative to the run folder. */
  logsTrimmed: string[];
}

export function boundRunData(dir: Pick<RunDir, 'data' | 'logs'>): DataBound {
  let freed = 0;
  const dataDeleted = existsSync(dir.data);
  if (dataDeleted) {
    freed += diskBytes(dir.data);
    rmSync(dir.data, { recursive: true, force: true });
  }
  const logsTrimmed: string[] = [];
  for (const name of existsSync(dir.logs) ? readdirSync(dir.logs).sort() : []) {
    const file = join(dir.logs, name);
    const s = statSync(file, { throwIfNoEntry: false });
    if (!s?.isFile() || s.size <= LARGE_LOG) continue;
    trimLog(file, s.size);
    freed += s.size - statSync(file).size;
    logsTrimmed.push(`logs/${name}`);
  }
  return { freedBytes: freed, dataDeleted, logsTrimmed };
}
