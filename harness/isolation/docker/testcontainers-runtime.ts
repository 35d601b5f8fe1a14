import { createWriteStream } from 'node:fs';
import type { ContainerRuntimeClient } from 'testcontainers';
import { CliError, EXIT } from '../../cli/exit-codes.ts';
import { GET_A_RUNTIME } from './find-runtime.ts';
import type { ContainerRuntime, ContainerSpec, ImageSpec, NetworkSpec, StartedContainer, VolumeSpec } from './runtime.ts';

/**
 * The container runtime through testcontainers (11.x, the last line that supports Node 20), loaded only here, when
 * `--isolation docker` is chosen, so no other start-up pays for it. Containers, networks and volumes carry
 * testcontainers' session label as well as Rift's, so its Ryuk container removes them when the harness dies without
 * tearing down (kill -9); images are kept, so the next run builds from Docker's cache.
 *
 * Kill, pause, unpause and start-again are the engine's own calls on the container (through dockerode, which
 * testcontainers exposes): testcontainers itself only stops and restarts, which is not a crash.
 */

type Testcontainers = typeof import('testcontainers');

/** Connects to the runtime testcontainers finds (the same places findContainerRuntime looked); exit 70 when none answers. */
export async function connectTestcontainers(): Promise<ContainerRuntime> {
  const tc: Testcontainers = await import('testcontainers');
  let client: ContainerRuntimeClient;
  let sessionId: string;
  try {
    client = await tc.getContainerRuntimeClient();
    sessionId = (await tc.getReaper(client)).sessionId;
  } catch (e) {
    throw new CliError(`--isolation docker: no container runtime answered: ${(e as Error).message}. To get one: ${GET_A_RUNTIME}.`, EXIT.internal);
  }
  return new TestcontainersRuntime(tc, client, sessionId);
}

class TestcontainersRuntime implements ContainerRuntime {
  constructor(private readonly tc: Testcontainers, private readonly client: ContainerRuntimeClient, private readonly sessionId: string) {}

  get endpoint(): string {
    return `${this.client.info.containerRuntime.host} (${this.client.info.containerRuntime.operatingSystem})`;
  }

  private labels(labels: Record<string, string>): Record<string, string> {
    return { ...labels, [this.tc.LABEL_TESTCONTAINERS_SESSION_ID]: this.sessionId };
  }

  private container(id: string) {
    return this.client.container.getById(id);
  }

  async build(image: ImageSpec): Promise<void> {
    await this.tc.GenericContainer.fromDockerfile(image.context, image.dockerfile).build(image.tag, { deleteOnExit: false });
  }

  async createNetwork(spec: NetworkSpec): Promise<void> {
    await this.client.network.create({
      Name: spec.name, Driver: 'bridge', Internal: spec.internal, CheckDuplicate: true, Attachable: false, Labels: this.labels(spec.labels),
    });
  }

  async createVolume(spec: VolumeSpec): Promise<void> {
    await this.client.container.dockerode.createVolume({ Name: spec.name, Labels: this.labels(spec.labels) });
  }

  async start(spec: ContainerSpec): Promise<StartedContainer> {
    let c = new this.tc.GenericContainer(spec.image)
      .withName(spec.name)
      .withLabels(spec.labels)
      .withEnvironment(spec.env)
      .withNetworkMode(spec.network)
      .withExposedPorts(...spec.exposedPorts)
      .withBindMounts(spec.volumes.map((v) => ({ source: v.volume, target: v.target, mode: 'rw' as const })));
    if (spec.aliases.length) c = c.withNetworkAliases(...spec.aliases);
    if (spec.hostname) c = c.withHostname(spec.hostname);
    if (spec.entrypoint) c = c.withEntrypoint(spec.entrypoint);
    if (spec.command) c = c.withCommand(spec.command);
    if (spec.readyHttp) c = c.withWaitStrategy(this.tc.Wait.forHttp(spec.readyHttp.path, spec.readyHttp.port));
    const s = await c.start();
    return { id: s.getId(), host: s.getHost(), mappedPort: (port) => s.getMappedPort(port), ip: s.getIpAddress(spec.network) };
  }

  async connect(id: string, network: string, aliases: readonly string[]): Promise<string> {
    const c = this.container(id);
    await this.client.container.connectToNetwork(c, this.client.network.getById(network), [...aliases]);
    const ip = (await this.client.container.inspect(c)).NetworkSettings.Networks[network]?.IPAddress;
    if (!ip) throw new Error(`docker: container ${id} has no address on network ${network} after connecting it`);
    return ip;
  }

  async kill(id: string): Promise<void> {
    await this.container(id).kill({ signal: 'SIGKILL' });
  }

  async pause(id: string): Promise<void> {
    await this.container(id).pause();
  }

  async unpause(id: string): Promise<void> {
    await this.container(id).unpause();
  }

  async startAgain(id: string): Promise<void> {
    await this.client.container.start(this.container(id));
  }

  async followLogs(id: string, file: string, sinceS: number): Promise<void> {
    const stream = await this.client.container.logs(this.container(id), { since: sinceS });
    stream.pipe(createWriteStream(file, { flags: 'a' }));
  }

  async remove(id: string): Promise<void> {
    await this.container(id).remove({ force: true, v: true });
  }

  async removeNetwork(name: string): Promise<void> {
    await this.client.network.remove(this.client.network.getById(name));
  }

  async removeVolume(name: string): Promise<void> {
    await this.client.container.dockerode.getVolume(name).remove();
  }
}
