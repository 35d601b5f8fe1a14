/**
 * Starts a layer deployment on this machine the way the local target does (Redis + layer node per region and one
 * Toxiproxy holding every link), but as a separate program Rift does not own, and describes it in
 * DIR/deployment.json: each region's client endpoint and Toxiproxy API, and the URL of this program's control
 * endpoint (POST /kill|restart|pause|resume/<region>). examples/external.config.ts turns that into the config with
 * which `rift run --target external --config examples/external.config.ts` drives it.
 *
 *   node --import tsx examples/external/deploy-local.ts [DIR] [--isolation netns|process] [--regions a,b,c]
 *
 * DIR defaults to .rift-tmp/deployment (where the example config looks unless RIFT_DEPLOYMENT names another file).
 * Prints "ready <DIR/deployment.json>" once up; SIGINT/SIGTERM tears the deployment down.
 */
import { createServer } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LocalTarget } from '../../harness/targets/local/target.ts';
import { DEFAULT_REGIONS } from '../../harness/core/run-spec.ts';

const { values, positionals } = parseArgs({ options: { isolation: { type: 'string' }, regions: { type: 'string' } }, allowPositionals: true });
if (positionals.length > 1 || !['netns', 'process', undefined].includes(values.isolation)) {
  console.error('usage: deploy-local.ts [DIR] [--isolation netns|process] [--regions a,b,c]');
  process.exit(64);
}
const root = resolve(positionals[0] ?? '.rift-tmp/deployment');
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

const deployment = {
  control: controlUrl,
  regions: Object.fromEntries(regions.map((r) => {
    const c = target.clientEndpoint(r);
    return [r, { client: `${c.host}:${c.port}`, toxiproxy: target.toxiproxyUrl }];
  })),
};
const deploymentFile = join(root, 'deployment.json');
writeFileSync(deploymentFile, JSON.stringify(deployment, null, 2) + '\n');

const stop = async () => {
  control.close();
  await target.teardown();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
console.log(`ready ${deploymentFile}`);
