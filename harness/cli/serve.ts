import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { serveStore } from '../store/serve.ts';
import { writeStoreIndex } from '../store/write-index.ts';
import { intFlag, parse } from './args.ts';
import { CliError, EXIT } from './exit-codes.ts';

export const SERVE_USAGE = `rift serve [--store DIR] [--port N]

  Serves the store (its index.html, every run's report and files, the suite pages) over HTTP on 127.0.0.1
  only, read-only, and prints the URL. The index is regenerated first. Paths that leave the store are refused
  (403). Stops on Ctrl-C (SIGINT) or SIGTERM, exit 0.
  --store DIR           the store (default ./store)
  --port N              the port, 0 to 65535 (default 8470; 0 picks a free one)
  --help                this text`;

export const DEFAULT_PORT = 8470;

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { store: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean' } }, false);
  if (values.help) {
    console.log(SERVE_USAGE);
    return EXIT.valid;
  }
  const port = intFlag('port', values.port, DEFAULT_PORT, 0, 65535);
  const store = resolve(values.store ?? 'store');
  if (!existsSync(store) || !statSync(store).isDirectory()) throw new CliError(`--store ${values.store ?? 'store'}: no such directory`, EXIT.usage);
  writeStoreIndex(store);
  let started;
  try {
    started = await serveStore(store, port);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`--port ${port}: cannot listen on 127.0.0.1:${port} (${code === 'EADDRINUSE' ? 'in use; pick another, or --port 0' : (e as Error).message})`, code === 'EADDRINUSE' ? EXIT.usage : EXIT.internal);
  }
  const { server, url } = started;
  console.log(`serving ${store} at ${url}`);
  // Until a signal. The CLI's own handlers (process/spawn.ts) would exit 130/143 at once; serving is stopped on
  // request, so this one runs first: it closes the listener and every connection, and ends with 0.
  const stop = (signal: NodeJS.Signals) => {
    server.closeAllConnections();
    server.close();
    console.log(`rift serve: ${signal}, stopped`);
    process.exit(EXIT.valid);
  };
  process.prependOnceListener('SIGINT', stop);
  process.prependOnceListener('SIGTERM', stop);
  return new Promise<number>(() => undefined);
}
