import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerTarget } from '../../../../harness/targets/local/docker-target.ts';
import type { ContainerRuntime, ContainerSpec, StartedContainer } from '../../../../harness/isolation/docker/runtime.ts';
import { IMAGES, TOXIPROXY_API_PORT } from '../../../../harness/isolation/docker/specs.ts';
import type { ProxySpec, ToxiproxyClient } from '../../../../harness/net/toxiproxy.ts';

/**
 * A runtime that creates nothing and records every call. Containers are "started" at once; every published port
 * maps to `port + 30000` on 127.0.0.1, except that each region's admin port maps to `health`, a local server standing
 * in for the node's /health (answering 200 unless told otherwise).
 */
class FakeRuntime implements ContainerRuntime {
  readonly endpoint = 'fake';
  readonly calls: string[] = [];
  readonly specs: ContainerSpec[] = [];
  failStart?: string;

  constructor(private readonly healthPort: number) {}

  async build(image: { tag: string }) { this.calls.push(`build ${image.tag}`); }
  async createNetwork(spec: { name: string; internal: boolean }) { this.calls.push(`network ${spec.name}${spec.internal ? ' internal' : ''}`); }
  async createVolume(spec: { name: string }) { this.calls.push(`volume ${spec.name}`); }
  async start(spec: ContainerSpec): Promise<StartedContainer> {
    this.calls.push(`start ${spec.name}`);
    if (spec.name === this.failStart) throw new Error(`cannot start ${spec.name}`);
    this.specs.push(spec);
    const admin = (p: number) => p >= 11_000 && p < 12_000;
    return { id: `id-${spec.name}`, host: '127.0.0.1', mappedPort: (p) => (admin(p) ? this.healthPort : p + 30_000), ip: spec.name.endsWith('-toxiproxy') ? '172.30.0.2' : '10.9.9.9' };
  }
  async connect(id: string, network: string) {
    this.calls.push(`connect ${id} ${network}`);
    return `10.0.${network.length}.3`;
  }
  async kill(id: string) { this.calls.push(`kill ${id}`); }
  async pause(id: string) { this.calls.push(`pause ${id}`); }
  async unpause(id: string) { this.calls.push(`unpause ${id}`); }
  async startAgain(id: string) { this.calls.push(`start-again ${id}`); }
  async followLogs(id: string, file: string) { this.calls.push(`logs ${id} > ${file.split('/').pop()}`); }
  async remove(id: string) { this.calls.push(`remove ${id}`); }
  async removeNetwork(name: string) { this.calls.push(`remove network ${name}`); }
  async removeVolume(name: string) { this.calls.push(`remove volume ${name}`); }
}

/** Records the proxies made; ToxiproxyFaultNetwork.create needs only these two calls. */
function fakeToxiproxy(made: ProxySpec[], urls: string[]) {
  return (url: string) => {
    urls.push(url);
    return {
      deleteProxy: async () => undefined,
      createProxy: async (p: ProxySpec) => {
        made.push(p);
        return { ...p, enabled: true, toxics: [] };
      },
    } as unknown as ToxiproxyClient;
  };
}

describe('targets/local docker-target: the docker backend against a fake container runtime', () => {
  let health: Server;
  let healthPort: number;
  let healthy = true;
  let root: string;

  before(async () => {
    health = createServer((req, res) => res.writeHead(req.url === '/health' && healthy ? 200 : 503).end('{}'));
    await new Promise<void>((r) => health.listen(0, '127.0.0.1', r));
    healthPort = (health.address() as { port: number }).port;
  });
  after(() => health.close());
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rift-docker-target-'));
    healthy = true;
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const make = (over: { regions?: string[]; readyTimeoutMs?: number } = {}) => {
    const runtime = new FakeRuntime(healthPort);
    const proxies: ProxySpec[] = [];
    const urls: string[] = [];
    const target = new DockerTarget({
      dir: { root, logs: join(root, 'logs'), data: join(root, 'data') }, regions: over.regions ?? ['east', 'west'], seed: 4, bugs: ['ignore-gap'],
      connect: async () => runtime, toxiproxyClient: fakeToxiproxy(proxies, urls), ...(over.readyTimeoutMs ? { readyTimeoutMs: over.readyTimeoutMs } : {}),
    });
    return { runtime, proxies, urls, target, id: target.runId };
  };

  it('setup: builds both images, makes networks and volumes, starts Toxiproxy and joins it to each region network, makes the proxies, then starts every region', async () => {
    const { runtime, proxies, urls, target, id } = make();
    await target.setup();
    const tp = `id-rift-${id}-toxiproxy`;
    assert.deepEqual(runtime.calls.slice(0, 8), [
      `build ${IMAGES.toxiproxy.tag}`, `build ${IMAGES.region.tag}`,
      `network rift-${id}`, `network rift-${id}-east internal`, `network rift-${id}-west internal`,
      `volume rift-${id}-east-data`, `volume rift-${id}-west-data`,
      `start rift-${id}-toxiproxy`,
    ]);
    assert.deepEqual(runtime.calls.slice(8, 11), [`logs ${tp} > toxiproxy.log`, `connect ${tp} rift-${id}-east`, `connect ${tp} rift-${id}-west`]);
    assert.deepEqual(new Set(runtime.calls.slice(11)), new Set([`start rift-${id}-east`, `start rift-${id}-west`, `logs id-rift-${id}-east > east.log`, `logs id-rift-${id}-west > west.log`]));
    assert.deepEqual(urls, [`http://127.0.0.1:${TOXIPROXY_API_PORT + 30_000}`]);
    assert.deepEqual(proxies.map((p) => p.name), ['client_east', 'peer_west_to_east', 'client_west', 'peer_east_to_west', 'admin_east', 'admin_west']);
    // Client and admin proxies listen on Toxiproxy's control address, where its published ports lead.
    assert.deepEqual(proxies.filter((p) => !p.name.startsWith('peer_')).map((p) => p.listen), ['172.30.0.2:10000', '172.30.0.2:10001', '172.30.0.2:11000', '172.30.0.2:11001']);
    // Each region's peers are its outgoing proxies, on Toxiproxy's address in its own network.
    const east = runtime.specs.find((s) => s.name === `rift-${id}-east`)!;
    const eastNet = `10.0.${`rift-${id}-east`.length}.3`;
    assert.equal(proxies.find((p) => p.name === 'peer_east_to_west')!.listen.split(':')[0], eastNet);
    assert.deepEqual(JSON.parse(east.env.RIFT_PEERS), { west: `http://${proxies.find((p) => p.name === 'peer_east_to_west')!.listen}` });
    assert.deepEqual(JSON.parse(east.env.RIFT_NODE_OPTIONS).bugs, ['ignore-gap']);
    assert.equal(east.env.RIFT_ADMIN_TOKEN.length, 24);
    assert.deepEqual(runtime.specs.find((s) => s.name.endsWith('toxiproxy'))!.command!.slice(-2), ['-seed', '4']);
    assert.deepEqual(target.clientEndpoint('west'), { host: '127.0.0.1', port: 10_001 + 30_000 });
    assert.deepEqual(target.nodeEndpoint('east'), { host: '127.0.0.1', port: healthPort });
    assert.deepEqual(target.network.links, ['client:east', 'peer:west->east', 'client:west', 'peer:east->west']);
    assert.deepEqual(target.logFiles(), ['toxiproxy', 'east', 'west'].map((n) => join(root, 'logs', `${n}.log`)));
    assert.equal(target.stateOf('east'), 'up');
    await target.teardown();
  });

  it('kill, restart, pause and resume are the runtime\'s calls on the region\'s container; restart waits for /health again', async () => {
    const { runtime, target, id } = make();
    await target.setup();
    const east = `id-rift-${id}-east`;
    const from = runtime.calls.length;
    await target.kill('east');
    assert.equal(target.stateOf('east'), 'killed');
    await assert.rejects(target.kill('east'), /east is already killed/);
    await assert.rejects(target.pause('east'), /east is killed; only a running region can be paused/);
    await target.restart('east');
    assert.equal(target.stateOf('east'), 'up');
    await assert.rejects(target.restart('east'), /east is up, not killed/);
    await target.pause('east');
    assert.equal(target.stateOf('east'), 'paused');
    await assert.rejects(target.resume('west'), /west is up, not paused/);
    await target.resume('east');
    await target.pause('west');
    await target.kill('west');
    assert.deepEqual(runtime.calls.slice(from), [
      `kill ${east}`, `start-again ${east}`, `logs ${east} > east.log`, `pause ${east}`, `unpause ${east}`,
      `pause id-rift-${id}-west`, `unpause id-rift-${id}-west`, `kill id-rift-${id}-west`,
    ]);
    await target.teardown();
  });

  it('a restarted region that never answers /health fails the restart, naming the container and its log', async () => {
    const { target, id } = make({ readyTimeoutMs: 300 });
    await target.setup();
    await target.kill('west');
    healthy = false;
    await assert.rejects(target.restart('west'), new RegExp(`region west \\(container rift-${id}-west\\) did not become ready .*timed out .*west\\.log`, 's'));
    await target.teardown();
  });

  it('teardown thaws paused regions, removes every container, then the networks and volumes setup made; twice is harmless', async () => {
    const { runtime, target, id } = make();
    await target.setup();
    await target.pause('west');
    const from = runtime.calls.length;
    await target.teardown();
    const calls = runtime.calls.slice(from);
    assert.deepEqual(calls.slice(0, 1), [`unpause id-rift-${id}-west`]);
    assert.deepEqual(new Set(calls.slice(1, 4)), new Set([`remove id-rift-${id}-east`, `remove id-rift-${id}-west`, `remove id-rift-${id}-toxiproxy`]));
    assert.deepEqual(calls.slice(4), [
      `remove network rift-${id}-west`, `remove network rift-${id}-east`, `remove network rift-${id}`,
      `remove volume rift-${id}-east-data`, `remove volume rift-${id}-west-data`,
    ]);
    const after = runtime.calls.length;
    await target.teardown();
    assert.equal(runtime.calls.length, after);
    assert.throws(() => target.clientEndpoint('east'), /Toxiproxy runs only between setup\(\) and teardown\(\)/);
  });

  it('a setup that fails half way removes what it made and throws the cause', async () => {
    const { runtime, target, id } = make();
    runtime.failStart = `rift-${id}-west`;
    await assert.rejects(target.setup(), /cannot start rift-.*-west/);
    const removed = runtime.calls.filter((c) => c.startsWith('remove'));
    assert.deepEqual(new Set(removed), new Set([
      `remove id-rift-${id}-east`, `remove id-rift-${id}-toxiproxy`,
      `remove network rift-${id}-west`, `remove network rift-${id}-east`, `remove network rift-${id}`,
      `remove volume rift-${id}-east-data`, `remove volume rift-${id}-west-data`,
    ]));
  });

  it('a runtime that cannot be reached fails setup before anything is built', async () => {
    const target = new DockerTarget({ dir: { root, logs: join(root, 'logs'), data: join(root, 'data') }, regions: ['east'], connect: async () => { throw new Error('no container runtime answered'); } });
    await assert.rejects(target.setup(), /no container runtime answered/);
    await target.teardown();
  });
});
