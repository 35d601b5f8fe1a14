import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadExternalConfig, parseExternalConfig } from '../../../../harness/targets/external/config.ts';
import { ExternalTarget } from '../../../../harness/targets/external/target.ts';
import { CliError, EXIT } from '../../../../harness/cli/exit-codes.ts';
import { proxyName } from '../../../../harness/net/fault-proxy.ts';

const EXAMPLE = fileURLToPath(new URL('../../../../examples/external.config.json', import.meta.url));
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

  it('accepts the shipped examples (examples/, docker/k8s/)', () => {
    for (const file of [EXAMPLE, K8S]) {
      const c = loadExternalConfig(file);
      assert.deepEqual(Object.keys(c.regions), Object.keys(JSON.parse(readFileSync(file, 'utf8')).regions));
    }
  });

  it("k8s: each region's sidecar holds the proxies of its inbound links, and each node's peers are the matching sidecar ports", () => {
    const regions = Object.keys(loadExternalConfig(K8S).regions);
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
