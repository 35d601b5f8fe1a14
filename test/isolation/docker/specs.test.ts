import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  dockerPlan, IMAGES, LABEL_REGION, LABEL_ROLE, LABEL_RUN, networkSpecs, peerUrls, ports, proxyMap, regionSpec, toxiproxySpec, volumeSpecs,
  MAX_DOCKER_REGIONS, TOXIPROXY_API_PORT, type ToxiproxyAddresses,
} from '../../../harness/isolation/docker/specs.ts';
import { parseConfig } from '../../../layer/config.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const plan = dockerPlan('ab12', ['us-east', 'eu-west', 'ap-south'], 7);
const ips: ToxiproxyAddresses = { control: '172.30.0.2', regions: { 'us-east': '10.1.0.3', 'eu-west': '10.2.0.3', 'ap-south': '10.3.0.3' } };
const secrets = { secret: 's'.repeat(48), adminToken: 'a'.repeat(24), redisPassword: 'p'.repeat(48) };
const node = { bugs: ['ignore-gap'], logLevel: 'warn', proposers: 'any', batchSize: 8 } as const;

describe('isolation/docker specs: what the backend asks the runtime to create', () => {
  it('builds both images from the Dockerfiles of docker/, which exist', () => {
    for (const img of Object.values(IMAGES)) assert.ok(existsSync(join(img.context, img.dockerfile)), `${img.dockerfile} in ${img.context}`);
    assert.equal(IMAGES.region.context, REPO.replace(/\/$/, ''));
    assert.equal(IMAGES.region.dockerfile, 'docker/region/Dockerfile');
    assert.equal(IMAGES.toxiproxy.context, join(REPO, 'docker/toxiproxy'));
  });

  it('one routed control network and one internal network per region, each labelled with the run', () => {
    assert.deepEqual(networkSpecs(plan), [
      { name: 'rift-ab12', internal: false, labels: { [LABEL_RUN]: 'ab12', [LABEL_ROLE]: 'control' } },
      { name: 'rift-ab12-us-east', internal: true, labels: { [LABEL_RUN]: 'ab12', [LABEL_ROLE]: 'region-network', [LABEL_REGION]: 'us-east' } },
      { name: 'rift-ab12-eu-west', internal: true, labels: { [LABEL_RUN]: 'ab12', [LABEL_ROLE]: 'region-network', [LABEL_REGION]: 'eu-west' } },
      { name: 'rift-ab12-ap-south', internal: true, labels: { [LABEL_RUN]: 'ab12', [LABEL_ROLE]: 'region-network', [LABEL_REGION]: 'ap-south' } },
    ]);
    assert.deepEqual(volumeSpecs(plan).map((v) => [v.name, v.labels[LABEL_RUN], v.labels[LABEL_REGION]]), [
      ['rift-ab12-us-east-data', 'ab12', 'us-east'], ['rift-ab12-eu-west-data', 'ab12', 'eu-west'], ['rift-ab12-ap-south-data', 'ab12', 'ap-south'],
    ]);
  });

  it('Toxiproxy: on the control network, its API bound to its own hostname there, seeded, publishing the API and each region\'s client and admin ports', () => {
    const t = toxiproxySpec(plan);
    assert.equal(t.name, 'rift-ab12-toxiproxy');
    assert.equal(t.image, IMAGES.toxiproxy.tag);
    assert.equal(t.network, 'rift-ab12');
    assert.deepEqual(t.entrypoint, ['toxiproxy-server']);
    assert.deepEqual(t.command, ['-host', t.hostname, '-port', '8474', '-seed', '7']);
    assert.deepEqual(t.exposedPorts, [TOXIPROXY_API_PORT, 10000, 10001, 10002, 11000, 11001, 11002]);
    assert.deepEqual(t.volumes, []);
    assert.deepEqual(t.labels, { [LABEL_RUN]: 'ab12', [LABEL_ROLE]: 'toxiproxy' });
    assert.deepEqual(t.readyHttp, { port: 8474, path: '/version' });
    assert.ok(!toxiproxySpec(dockerPlan('ab12', ['a'])).command!.includes('-seed'));
  });

  it('a region: its image on its own internal network under its alias, nothing published, its data volume, every setting in its environment', () => {
    const r = regionSpec(plan, 'eu-west', ips, secrets, node);
    assert.equal(r.name, 'rift-ab12-eu-west');
    assert.equal(r.image, IMAGES.region.tag);
    assert.equal(r.network, 'rift-ab12-eu-west');
    assert.deepEqual(r.aliases, ['region-eu-west']);
    assert.deepEqual(r.exposedPorts, []);
    assert.deepEqual(r.volumes, [{ volume: 'rift-ab12-eu-west-data', target: '/data' }]);
    assert.deepEqual(r.labels, { [LABEL_RUN]: 'ab12', [LABEL_ROLE]: 'region', [LABEL_REGION]: 'eu-west' });
    assert.equal(r.command, undefined);
    assert.deepEqual(r.env, {
      RIFT_REGION: 'eu-west',
      RIFT_REGIONS: 'us-east,eu-west,ap-south',
      RIFT_PEERS: JSON.stringify({ 'us-east': 'http://10.2.0.3:12064', 'ap-south': 'http://10.2.0.3:12066' }),
      RIFT_SECRET: secrets.secret,
      RIFT_ADMIN_TOKEN: secrets.adminToken,
      RIFT_REDIS_PASSWORD: secrets.redisPassword,
      RIFT_PORT: '7000',
      RIFT_NODE_OPTIONS: JSON.stringify({ bugs: ['ignore-gap'], logLevel: 'warn', proposers: 'any', batchSize: 8 }),
    });
  });

  it('proxy map: every link once, client and admin proxies on the control address, peer proxies on the sender\'s network, all to the receiver\'s alias', () => {
    const { links, admin } = proxyMap(plan, ips);
    const want = plan.regions.flatMap((to) => [`client:${to}`, ...plan.regions.filter((f) => f !== to).map((f) => `peer:${f}->${to}`)]);
    assert.deepEqual(links.map((l) => l.link), want);
    for (const l of links) {
      const to = /^client:(.+)$/.exec(l.link)?.[1] ?? /->(.+)$/.exec(l.link)![1];
      assert.equal(l.upstream, `region-${to}:7000`, l.link);
      const from = /^peer:(.+)->/.exec(l.link)?.[1];
      assert.equal(l.listen!.split(':')[0], from ? ips.regions[from] : ips.control, l.link);
    }
    assert.equal(links.find((l) => l.link === 'client:ap-south')!.listen, '172.30.0.2:10002');
    assert.equal(links.find((l) => l.link === 'peer:ap-south->us-east')!.listen, '10.3.0.3:12128');
    assert.deepEqual(admin, plan.regions.map((r, i) => ({ name: `admin_${r}`, listen: `172.30.0.2:${11000 + i}`, upstream: `region-${r}:7000`, enabled: true })));
    // No two proxies share a listen address, and the client and admin ports are the ones Toxiproxy publishes.
    const listens = [...links.map((l) => l.listen), ...admin.map((a) => a.listen)];
    assert.equal(new Set(listens).size, listens.length);
    const published = new Set(toxiproxySpec(plan).exposedPorts);
    for (const l of [...links.filter((x) => x.link.startsWith('client:')).map((x) => x.listen!), ...admin.map((a) => a.listen)]) assert.ok(published.has(Number(l.split(':')[1])), l);
  });

  it('a region\'s peers are exactly its outgoing peer proxies', () => {
    const { links } = proxyMap(plan, ips);
    for (const r of plan.regions) {
      for (const [to, url] of Object.entries(peerUrls(plan, r, ips))) {
        assert.equal(url, `http://${links.find((l) => l.link === `peer:${r}->${to}`)!.listen}`);
      }
    }
    assert.equal(ports.peer(plan, 'us-east', 'eu-west'), 12001);
  });

  it('refuses plans it cannot lay out: too many regions, bad names, a missing Toxiproxy address', () => {
    assert.throws(() => dockerPlan('ab12', Array.from({ length: MAX_DOCKER_REGIONS + 1 }, (_, i) => `r${i}`)), /1 to 64 regions/);
    assert.throws(() => dockerPlan('ab12', ['East']), /region name "East"/);
    assert.throws(() => dockerPlan('AB', ['a']), /run id/);
    assert.throws(() => proxyMap(plan, { control: '1.1.1.1', regions: {} }), /no Toxiproxy address on the network of region/);
    assert.throws(() => ports.client(plan, 'mars'), /unknown region "mars"/);
  });

  it("docker/region's entrypoint turns a region spec's environment into a node config the layer accepts, with the node options applied", () => {
    const script = /node -e '\n([\s\S]*?)\n'\n/.exec(readFileSync(join(REPO, 'docker/region/entrypoint.sh'), 'utf8'))![1];
    const dir = mkdtempSync(join(tmpdir(), 'rift-entry-'));
    try {
      const out = join(dir, 'node.json');
      const env = regionSpec(plan, 'us-east', ips, secrets, node).env;
      execFileSync(process.execPath, ['-e', script.replace('/data/node.json', out)], { env: { PATH: process.env.PATH, ...env } });
      const cfg = parseConfig(JSON.parse(readFileSync(out, 'utf8')), out);
      assert.equal(cfg.region, 'us-east');
      assert.deepEqual(cfg.regions, ['us-east', 'eu-west', 'ap-south']);
      assert.equal(cfg.port, 7000);
      assert.deepEqual(cfg.peers, { 'eu-west': 'http://10.1.0.3:12001', 'ap-south': 'http://10.1.0.3:12002' });
      assert.deepEqual(cfg.bugs, ['ignore-gap']);
      assert.equal(cfg.logLevel, 'warn');
      assert.equal(cfg.proposers, 'any');
      assert.equal(cfg.batchSize, 8);
      assert.equal(cfg.adminToken, secrets.adminToken);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
