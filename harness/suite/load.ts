/** Finds and loads rift.config.ts (or .mts/.js/.mjs): its default export, validated field by field. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, EXIT } from '../cli/exit-codes.ts';
import type { RiftConfig } from './config.ts';
import { validateConfig } from './validate.ts';
import { importDefault } from '../core/config-module.ts';

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
  return validateConfig(await importDefault(file, 'export default defineConfig({...})'), file);
}
