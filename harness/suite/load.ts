/**
 * Loads rift.config.ts (or .mts/.js/.mjs) by dynamic import. The compiled CLI (dist/) does not load TypeScript by
 * itself: for a TypeScript config it registers tsx (a dependency) first, so start-up pays for it only then.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError, EXIT } from '../cli/exit-codes.ts';
import type { RiftConfig } from './config.ts';
import { validateConfig } from './validate.ts';

export const DEFAULT_CONFIG_FILES = ['rift.config.ts', 'rift.config.mts', 'rift.config.mjs', 'rift.config.js'] as const;

/** The config file to use: the one given, or the first default name in `cwd`. */
export function findConfig(given: string | undefined, cwd = process.cwd()): string {
  if (given !== undefined) {
    const file = resolve(cwd, given);
    if (!existsSync(file)) throw new CliError(`--config ${given}: no such file`, EXIT.usage);
    return file;
  }
  const found = DEFAULT_CONFIG_FILES.map((f) => resolve(cwd, f)).find((f) => existsSync(f));
  if (!found) throw new CliError(`no ${DEFAULT_CONFIG_FILES.join(' or ')} in ${cwd} (give one with --config FILE)`, EXIT.usage);
  return found;
}

export async function loadConfig(file: string): Promise<RiftConfig> {
  let mod: { default?: unknown };
  try {
    mod = await importConfig(file);
  } catch (e) {
    const msg = (e as Error).message;
    // tsx compiles a .ts file outside an ESM package as CommonJS, and `export default` then fails obscurely.
    const hint = /require\(\) ES Module|in a cycle/.test(msg) ? ' (a .ts config must be an ES module: put it in a package with "type": "module", or name it .mts)' : '';
    throw new CliError(`${file}: does not load: ${msg}${hint}`, EXIT.dataError);
  }
  if (mod.default === undefined) throw new CliError(`${file}: has no default export (export default defineConfig({...}))`, EXIT.dataError);
  return validateConfig(mod.default, file);
}

async function importConfig(file: string): Promise<{ default?: unknown }> {
  const url = pathToFileURL(file).href;
  try {
    return await import(url);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e;
    const { register } = await import('tsx/esm/api');
    register();
    // Node remembers the failed load of this URL; a query makes it a fresh one.
    return import(`${url}?tsx`);
  }
}
