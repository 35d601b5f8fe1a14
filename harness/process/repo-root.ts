import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's root: the nearest folder above this module holding a package.json. Found by walking up
 * rather than by a fixed `../..`, because this module runs both from the sources and from the compiled build
 * in dist/ (scripts/build.sh), one level deeper.
 */
export const REPO_ROOT: string = (() => {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
})();

/**
 * A sibling module's path, in the language this module runs as: `layer/main.ts` from the sources, its compiled
 * `dist/layer/main.js` from the build, so a child process of the build starts without transpiling.
 */
export function ownModule(fromRoot: string): string {
  const compiled = import.meta.url.endsWith('.js');
  return compiled ? join(REPO_ROOT, 'dist', fromRoot.replace(/\.ts$/, '.js')) : join(REPO_ROOT, fromRoot);
}

/** Node arguments that run `entry`: through tsx when it is TypeScript. */
export const nodeArgsFor = (entry: string): string[] => (entry.endsWith('.ts') ? ['--import', 'tsx', entry] : [entry]);
