/**
 * Starts a layer deployment on this machine the way the local target does (Redis + layer node per region and one
 * Toxiproxy holding every link), but as a separate program Rift does not own, and writes the config with which
 * `rift run --target external --config FILE` drives it: client endpoints, the Toxiproxy API, and commands that
 * kill, restart, pause and resume a region by calling this program's control endpoint with curl.
 *
 *   node --import tsx examples/external/deploy-local.ts DIR [--isolation netns|process] [--regions a,b,c]
 *
 * Prints "ready <config file>" once up; SIGINT/SIGTERM tears the deployment down.
 */
import { createServer } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LocalTarget } from '../../harness/targets/local/target.ts';
import { DEFAULT_REGIONS } from '../../harness/core/run-spec.ts';

const { values, positionals } = parseArgs({ options: { isolation: { type: 'string' }, regions: { type: 'string' } }, allowPositionals: true });
if (positionals.length !== 1 || !['netns', 'process', undefined].includes(values.isolation)) {
  console.error('usage: deploy-local.ts DIR [--isolation netns|process] [--regions a,b,c]');
  process.exit(64);
}
const root = resolve(positionals[0]);
mkdirSync(root, { recursive: true });
const regions = values.regions?.split(',') ?? DEFAULT_REGIONS;
const target = new LocalTarget({
  dir: { root, logs: join(root, 'logs'), data: join(root, 'data') }, regions, isolation: (values.isolation ?? 'process') as 'netns' | 'process',
});
await target.setup();

const actions = { kill: (r: string) => target.kill(r), restart: (r: string) => target.restart(r), pause: (r: string) => target.pause(r), resume: (r: string) => target.resume(r) };
const control = createServer((req, res) => {
  const m = /^\/(kill|restart|pause|resume)\/([a-z0-9-]+)$/.exec(req.url ?? '');
  if (req.method !== 'POST' || !m) {
    res.writeHead(404).end('POST /kill|restart|pause|resume/<region>\n');
    return;
  }
  actions[m[1] as keyof typeof actions](m[2]).then(
    () => res.writeHead(200).end('ok\n'),
    (e: Error) => res.writeHead(409).end(`${e.message}\n`),
  );
});
await new Promise<void>((r) => control.listen(0, '127.0.0.1', r));
const controlUrl = `http://127.0.0.1:${(control.address() as { port: number }).port}`;

const command = (what: string) => `curl -sS --fail-with-body -X POST ${controlUrl}/${what}/"$RIFT_REGION"`;
const config = {
  $comment: 'written by examples/external/deploy-local.ts; Rift uses only these endpoints and commands',
  regions: Object.fromEntries(regions.map((r) => {
    const c = target.clientEndpoint(r);
    return [r, {
      client: `${c.host}:${c.port}`,
      toxiproxy: target.toxiproxyUrl,
      commands: { kill: command('kill'), restart: command('restart'), pause: command('pause'), resume: command('resume') },
    }];
  })),
};
const configFile = join(root, 'external.config.json');
writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n');

const stop = async () => {
  control.close();
  await target.teardown();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
console.log(`ready ${configFile}`);
