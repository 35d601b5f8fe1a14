import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadExternalConfig, parseExternalConfig } from '../../../../harness/targets/external/config.ts';
import { ExternalTarget } from '../../../../harness/targets/external/target.ts';
import { CliError, EXIT } from '../../../../harness/cli/exit-codes.ts';
import { proxyName } from '../../../../harness/net/fault-proxy.ts';

const EXAMPLE = fileURLToPath(new URL('../../../../examples/external.config.ts', import.meta.url));
const K8S = fileURLToPath(new URL('../../../../docker/k8s/rift.external.config.json', import.meta.url));
const commands = { kill: 'k', restart: 'r', pause: 'p', resume: 'c' };
const good = { regions: { east: { client: 'east.example:8080', toxiproxy: 'http://east.example:8474', commands } } };

function errorOf(raw: unknown): CliError {
  try {
    parseExternalConfig(raw, 'cfg.json');
  } catch (e) {
    assert.ok(e instanceof CliError);
    return e;
  }
  assert.fail('accepted');
}

describe('targets/external config', () => {
  it('reads a region: client endpoint, Toxiproxy API and the four commands', () => {
    const c = parseExternalConfig(good, 'cfg.json');
    assert.deepEqual(c.regions.east.client, { host: 'east.example', port: 8080 });
    assert.equal(c.regions.east.toxiproxy, 'http://east.example:8474');
    assert.deepEqual(c.regions.east.commands, commands);
  });

  it('names the file and the field of every mistake, exit 65', () => {
    const cases: [unknown, RegExp][] = [
      [{}, /cfg\.json: regions: must be an object/],
      [{ regions: { east: { ...good.regions.east, client: 'east.example' } } }, /regions\.east\.client: must be "host:port"/],
      [{ regions: { east: { ...good.regions.east, toxiproxy: 'east:8474' } } }, /regions\.east\.toxiproxy: must be the API base URL/],
      [{ regions: { east: { ...good.regions.east, commands: { ...commands, pause: '' } } } }, /regions\.east\.commands\.pause: must be a non-empty shell command/],
      [{ regions: { east: { ...good.regions.east, commands: { ...commands, reboot: 'x' } } } }, /regions\.east\.commands\.reboot: unknown command/],
      [{ regions: { East: good.regions.east } }, /regions\.East: a region name/],
      [{ ...good, extra: 1 }, /extra: unknown field/],
    ];
    for (const [raw, want] of cases) {
      const e = errorOf(raw);
      assert.equal(e.exitCode, EXIT.dataError);
      assert.match(e.message, want);
    }
  });

  it('puts each inbound link (client and peers into the region) on the Toxiproxy beside it', () => {
    assert.deepEqual(ExternalTarget.inboundLinks('b', ['a', 'b', 'c']), ['client:b', 'peer:a->b', 'peer:c->b']);
  });

  it('accepts the k8s example (JSON)', async () => {
    const c = await loadExternalConfig(K8S);
    assert.deepEqual(Object.keys(c.regions), Object.keys(JSON.parse(readFileSync(K8S, 'utf8')).regions));
  });

  describe('a module config (.ts, .mjs)', () => {
    let dir: string;
    const saved = process.env.RIFT_DEPLOYMENT;
    before(() => { dir = mkdtempSync(join(tmpdir(), 'rift-extcfg-')); });
    after(() => {
      rmSync(dir, { recursive: true, force: true });
      if (saved === undefined) delete process.env.RIFT_DEPLOYMENT;
      else process.env.RIFT_DEPLOYMENT = saved;
    });

    it('examples/external.config.ts builds the config of the deployment deploy-local.ts describes: endpoints as given, commands calling its control endpoint', async () => {
      const deployment = join(dir, 'deployment.json');
      writeFileSync(deployment, JSON.stringify({ control: 'http://127.0.0.1:9', regions: { east: { client: '127.0.0.1:1001', toxiproxy: 'http://127.0.0.1:1002' }, west: { client: '127.0.0.1:2001', toxiproxy: 'http://127.0.0.1:1002' } } }));
      process.env.RIFT_DEPLOYMENT = deployment;
      const c = await loadExternalConfig(EXAMPLE);
      assert.deepEqual(Object.keys(c.regions), ['east', 'west']);
      assert.deepEqual(c.regions.west.client, { host: '127.0.0.1', port: 2001 });
      assert.equal(c.regions.east.toxiproxy, 'http://127.0.0.1:1002');
      assert.equal(c.regions.east.commands.pause, 'curl -sS --fail-with-body -X POST http://127.0.0.1:9/pause/"$RIFT_REGION"');
    });

    it('is validated like JSON: a wrong field names the module and the field (65)', async () => {
      const file = join(dir, 'bad.mjs');
      writeFileSync(file, `export default ${JSON.stringify({ regions: { east: { ...good.regions.east, client: 'nohost' } } })};\n`);
      await assert.rejects(loadExternalConfig(file), (e: CliError) => e.exitCode === EXIT.dataError && e.message === `${file}: regions.east.client: must be "host:port"`);
    });

    it('a module that does not load or has no default export is bad input (65); an unreadable file or another extension is a usage error (64)', async () => {
      const none = join(dir, 'none.ts');
      writeFileSync(none, 'export const regions = {};\n');
      await assert.rejects(loadExternalConfig(none), (e: CliError) => e.exitCode === EXIT.dataError && /has no default export \(export default defineExternal/.test(e.message));
      const broken = join(dir, 'broken.ts');
      writeFileSync(broken, 'export default {{;\n');
      await assert.rejects(loadExternalConfig(broken), (e: CliError) => e.exitCode === EXIT.dataError && e.message.startsWith(`${broken}: does not load`));
      await assert.rejects(loadExternalConfig(join(dir, 'missing.ts')), (e: CliError) => e.exitCode === EXIT.usage && /cannot read it/.test(e.message));
      const yaml = join(dir, 'c.yaml');
      writeFileSync(yaml, 'regions: {}\n');
      await assert.rejects(loadExternalConfig(yaml), (e: CliError) => e.exitCode === EXIT.usage && /must be a \.json file or a module \(\.ts, \.mts, \.mjs, \.js\)/.test(e.message));
    });
  });

  it("k8s: each region's sidecar holds the proxies of its inbound links, and each node's peers are the matching sidecar ports", async () => {
    const regions = Object.keys((await loadExternalConfig(K8S)).regions);
    const manifest = (r: string) => readFileSync(fileURLToPath(new URL(`../../../../docker/k8s/region-${r}.yaml`, import.meta.url)), 'utf8');
    const proxiesOf = (r: string) => JSON.parse(/proxies\.json: \|\n\s+(.*)\n/.exec(manifest(r))![1]) as { name: string; listen: string }[];
    for (const r of regions) {
      assert.deepEqual(proxiesOf(r).map((p) => p.name), ExternalTarget.inboundLinks(r, regions).map(proxyName));
      const peers = JSON.parse(/name: RIFT_PEERS, value: '(.*)' }/.exec(manifest(r))![1]) as Record<string, string>;
      for (const [to, url] of Object.entries(peers)) {
        const port = proxiesOf(to).find((p) => p.name === proxyName(`peer:${r}->${to}`))!.listen.split(':')[1];
        assert.equal(url, `http://rift-${to}:${port}`);
      }
    }
  });
});
