/**
 * Regenerates store/index.json and store/index.html, after every run, suite and prune. Synchronous on purpose: runs
 * of a `--parallel` suite finish in one process, and each regeneration must see the store whole, not interleave
 * with another's. Each file is written beside its place and renamed, so a reader never sees half of one.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { scanStore, type StoreIndex } from './index-data.ts';
import { renderIndexPage } from './index-page.ts';

export interface IndexPaths {
  json: string;
  html: string;
}

export const indexPaths = (store: string): IndexPaths => ({ json: join(store, 'index.json'), html: join(store, 'index.html') });

function writeWhole(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

function previousIndex(path: string): StoreIndex | undefined {
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as StoreIndex;
    return Array.isArray(raw?.runs) ? raw : undefined;
  } catch {
    return undefined; // absent or damaged: every record is read afresh
  }
}

export function writeStoreIndex(store: string, warn: (line: string) => void = (l) => console.error(l)): { index: StoreIndex; paths: IndexPaths } {
  const paths = indexPaths(store);
  const index = scanStore(store, existsSync(paths.json) ? previousIndex(paths.json) : undefined, warn);
  writeWhole(paths.json, JSON.stringify(index, null, 1) + '\n');
  writeWhole(paths.html, renderIndexPage(index, store));
  return { index, paths };
}

/** The same, for a run or suite that must not fail because its index could not be written: says why instead. */
export function refreshStoreIndex(store: string, log: (line: string) => void): void {
  if (!existsSync(store)) return; // nothing stored there (a suite whose runs all failed to start, with --out elsewhere)
  try {
    writeStoreIndex(store, log);
  } catch (e) {
    log(`rift: warning: could not regenerate ${join(store, 'index.html')}: ${(e as Error).message}`);
  }
}
