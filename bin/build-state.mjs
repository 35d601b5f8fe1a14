// Whether dist/ (scripts/build.sh) can run in place of the TypeScript sources. The build records, before it
// compiles, the modification time and size of every file it compiles from (dist/.sources.json); dist/ is fresh
// while each of them still has both. Checking a list costs a stat per file, no directory walk, and catches what
// "newer than a stamp" would miss: a file put back with an older time (a checkout, cp -p, rsync), or deleted.
// A file added since needs an edited file to import it, and that edit makes the build stale.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE_DIRS = ['harness', 'checkers', 'reports', 'workloads', 'layer'];
// scripts/build.sh: how the sources become dist/ is part of what dist/ was built from.
const SOURCE_FILES = ['tsconfig.json', 'tsconfig.build.json', 'scripts/build.sh'];
const MANIFEST = 'dist/.sources.json';

function filesIn(root, dir, out) {
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) filesIn(root, rel, out);
    else if (e.isFile() && !e.name.endsWith('.md')) out.push(rel);
  }
  return out;
}

/** The files a build of `root` compiles from, each with [mtimeMs, size], as dist/.sources.json holds them. */
export function sourceStamps(root) {
  const files = [...SOURCE_FILES, ...SOURCE_DIRS.flatMap((d) => filesIn(root, d, []))];
  return Object.fromEntries(files.map((f) => {
    const s = statSync(join(root, f));
    return [f, [s.mtimeMs, s.size]];
  }));
}

/** Writes `stamps` (taken before compiling) as the manifest of the build in `dir`. */
export function writeManifest(dir, stamps) {
  writeFileSync(join(dir, '.sources.json'), JSON.stringify(stamps));
}

/** { fresh: true } or { fresh: false, why } for the repository at `root`. */
export function buildState(root) {
  let stamps;
  try {
    stamps = JSON.parse(readFileSync(join(root, MANIFEST), 'utf8'));
  } catch {
    return { fresh: false, why: 'there is no compiled build (dist/)' };
  }
  // Runs before every command: path.join of each name cost more than the stat calls themselves.
  const dir = root.endsWith('/') ? root : `${root}/`;
  for (const f in stamps) {
    const s = statSync(dir + f, { throwIfNoEntry: false });
    if (!s) return { fresh: false, why: `${f} was removed after the compiled build (dist/)` };
    if (s.mtimeMs !== stamps[f][0] || s.size !== stamps[f][1]) return { fresh: false, why: `${f} changed after the compiled build (dist/)` };
  }
  return { fresh: true };
}
