// Whether dist/ (scripts/build.sh) can run in place of the TypeScript sources: it exists and no source file is
// newer than its stamp. The same sources and the same test as scripts/build.sh, so the two never disagree.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SOURCE_DIRS = ['harness', 'checkers', 'reports', 'workloads', 'layer'];
const SOURCE_FILES = ['tsconfig.json', 'tsconfig.build.json'];

/** The first source file modified after `since` (ms since the epoch), or undefined. */
function newerIn(dir, since) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const found = newerIn(p, since);
      if (found) return found;
    } else if (e.isFile() && !e.name.endsWith('.md') && statSync(p).mtimeMs > since) {
      return p;
    }
  }
  return undefined;
}

/** { fresh: true } or { fresh: false, why } for the repository at `root`. */
export function buildState(root) {
  const stamp = statSync(join(root, 'dist', '.build-stamp'), { throwIfNoEntry: false });
  if (!stamp) return { fresh: false, why: 'there is no compiled build (dist/)' };
  for (const f of SOURCE_FILES) {
    if (statSync(join(root, f)).mtimeMs > stamp.mtimeMs) return { fresh: false, why: `${f} is newer than the compiled build (dist/)` };
  }
  for (const d of SOURCE_DIRS) {
    const newer = newerIn(join(root, d), stamp.mtimeMs);
    if (newer) return { fresh: false, why: `${relative(root, newer)} is newer than the compiled build (dist/)` };
  }
  return { fresh: true };
}
