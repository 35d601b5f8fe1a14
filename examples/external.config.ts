/**
 * npx rift run --target external --config examples/external.config.ts
 *
 * The external target's config as a module: its default export names, for each region, the client endpoint (its
 * client proxy), the API of the Toxiproxy beside it (holding the proxies of every link into the region:
 * client_<region>, peer_<other>_to_<region>) and the shell commands that kill, restart, pause and resume it (run with
 * `sh -c` and RIFT_REGION set; exit 0 means the fault took effect). Rift deploys nothing and uses nothing else.
 *
 * This one drives the deployment examples/external/deploy-local.ts starts on this machine, from the description
 * that program writes (RIFT_DEPLOYMENT, default .rift-tmp/deployment/deployment.json); its commands call that
 * program's control endpoint with curl. On real hosts the commands are whatever takes a region down there, e.g.
 * `ssh us-east.example 'systemctl kill --signal=SIGKILL rift-layer redis-rift'` (README, "External regions").
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineExternal } from 'rift';

interface Deployment {
  control: string;
  regions: Record<string, { client: string; toxiproxy: string }>;
}

const file = process.env.RIFT_DEPLOYMENT ?? fileURLToPath(new URL('../.rift-tmp/deployment/deployment.json', import.meta.url));
if (!existsSync(file)) {
  throw new Error(`no deployment described at ${file}: start one with \`node --import tsx examples/external/deploy-local.ts\`, or set RIFT_DEPLOYMENT to its deployment.json`);
}
const deployment = JSON.parse(readFileSync(file, 'utf8')) as Deployment;
const command = (what: string) => `curl -sS --fail-with-body -X POST ${deployment.control}/${what}/"$RIFT_REGION"`;

export default defineExternal({
  regions: Object.fromEntries(Object.entries(deployment.regions).map(([region, { client, toxiproxy }]) => [region, {
    client,
    toxiproxy,
    commands: { kill: command('kill'), restart: command('restart'), pause: command('pause'), resume: command('resume') },
  }])),
});
