/**
 * The default export of a config module: rift.config.ts for suites, the external target's `--config`. Loaded by
 * dynamic import. The compiled CLI (dist/) does not load TypeScript by itself: for a TypeScript module it registers
 * tsx (a dependency) first, so start-up pays for it only then. Any failure is bad input (65) naming the file.
 */
import { pathToFileURL } from 'node:url';
import { CliError, EXIT } from '../cli/exit-codes.ts';

/** `expected` shows what the default export should look like, for the message when there is none. */
export async function importDefault(file: string, expected: string): Promise<unknown> {
  let mod: { default?: unknown };
  try {
    mod = await importModule(file);
  } catch (e) {
    const msg = (e as Error).message;
    // tsx compiles a .ts file outside an ESM package as CommonJS, and `export default` then fails obscurely.
    const hint = /require\(\) ES Module|in a cycle/.test(msg) ? ' (a .ts config must be an ES module: put it in a package with "type": "module", or name it .mts)' : '';
    throw new CliError(`${file}: does not load: ${msg}${hint}`, EXIT.dataError);
  }
  if (mod.default === undefined) throw new CliError(`${file}: has no default export (${expected})`, EXIT.dataError);
  return mod.default;
}

async function importModule(file: string): Promise<{ default?: unknown }> {
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
