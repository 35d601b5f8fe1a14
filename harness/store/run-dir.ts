import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';

export interface RunDir {
  root: string;
  history: string;
  runJson: string;
  results: string;
  report: string;
  junit: string;
  logs: string;
  data: string;
}

/** ISO time with characters safe in file names on every platform. */
const stamp = (d: Date): string => d.toISOString().replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z');

export function runPaths(root: string): RunDir {
  return {
    root,
    history: join(root, 'history.jsonl'),
    runJson: join(root, 'run.json'),
    results: join(root, 'results.json'),
    report: join(root, 'report.html'),
    junit: join(root, 'junit.xml'),
    logs: join(root, 'logs'),
    data: join(root, 'data'),
  };
}

/** Creates store/<name>/<timestamp>/ with logs/ and data/ and points store/latest at it. */
export function createRunDir(storeRoot: string, name: string, at = new Date()): RunDir {
  let root = join(storeRoot, name, stamp(at));
  for (let i = 2; ; i++) {
    try {
      mkdirSync(root, { recursive: false });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') mkdirSync(dirname(root), { recursive: true });
      else if ((e as NodeJS.ErrnoException).code === 'EEXIST') root = join(storeRoot, name, `${stamp(at)}-${i}`);
      else throw e;
    }
  }
  const dir = runPaths(root);
  mkdirSync(dir.logs);
  mkdirSync(dir.data);
  const latest = join(storeRoot, 'latest');
  rmSync(latest, { force: true });
  symlinkSync(relative(storeRoot, root), latest);
  return dir;
}

export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n');
}
