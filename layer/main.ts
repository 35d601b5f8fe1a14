import { parseArgs } from 'node:util';
import { ConfigError, loadConfigFile } from './config.ts';
import { createLogger } from './log.ts';
import { LayerNode } from './node.ts';
import { createLayerServer } from './server.ts';

/** Entry point: `node --import tsx layer/main.ts --config <file.json>`. Exit codes: 0 clean stop, 2 bad config, 1 other failure. */
async function main(): Promise<void> {
  let configPath: string | undefined;
  try {
    configPath = parseArgs({ options: { config: { type: 'string' } }, strict: true }).values.config;
  } catch (e) {
    process.stderr.write(`rift-layer: ${(e as Error).message}\nusage: node --import tsx layer/main.ts --config <file.json>\n`);
    process.exit(2);
  }
  if (!configPath) {
    process.stderr.write('rift-layer: missing --config <file.json>\n');
    process.exit(2);
  }
  let config;
  try {
    config = loadConfigFile(configPath);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`rift-layer: bad config: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const log = createLogger(config.region, config.logLevel);
  const node = new LayerNode(config, log);
  const server = createLayerServer(node);
  await node.start();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  // Listening already (peers pull snapshots from each other), but announced once clients can be served: a node
  // on a wiped data set first re-seeds itself from its peers.
  await node.ready;
  // Printed whatever the log level: the harness waits for this line to know the node is serving.
  createLogger(config.region, 'debug').info('listening', { url: `http://${config.host}:${config.port}`, bugs: config.bugs });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    server.closeAllConnections();
    server.close();
    node.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // A background loop's failure must be visible but must not take the region down with it.
  process.on('unhandledRejection', (e) => log.error('unhandled rejection', { error: (e as Error)?.message ?? String(e) }));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((e: unknown) => {
  process.stderr.write(`rift-layer: fatal: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
