/**
 * What the docker backend asks of a container runtime, as plain data and a few calls: specs.ts says what to create,
 * testcontainers-runtime.ts carries it out against a real engine, and unit tests substitute a fake that records the
 * calls. Every name is unique to one run (`rift-<run id>-…`) and every object carries the labels of specs.ts, so
 * leftovers can be found and removed by label.
 */

export type Labels = Record<string, string>;

/** An image built from a Dockerfile of docker/. */
export interface ImageSpec {
  tag: string;
  /** Build context (a directory). */
  context: string;
  /** Dockerfile path inside the context. */
  dockerfile: string;
}

export interface NetworkSpec {
  name: string;
  /** No route out of the network: its members reach each other only (a region and Toxiproxy). */
  internal: boolean;
  labels: Labels;
}

export interface VolumeSpec {
  name: string;
  labels: Labels;
}

export interface ContainerSpec {
  name: string;
  image: string;
  hostname?: string;
  /** Replaces the image's entrypoint when given. */
  entrypoint?: string[];
  command?: string[];
  env: Record<string, string>;
  /** The network it starts on, and its names there. */
  network: string;
  aliases: string[];
  /** Container ports published on the runtime's host (at ports the runtime picks). */
  exposedPorts: number[];
  /** Named volumes mounted read-write. */
  volumes: { volume: string; target: string }[];
  labels: Labels;
  /** The runtime waits until this answers 200 on a published port before start() returns; otherwise it returns once started. */
  readyHttp?: { port: number; path: string };
}

export interface StartedContainer {
  id: string;
  /** Where the runtime's published ports are reached from here. */
  host: string;
  /** The host port a published container port is reached at. */
  mappedPort(port: number): number;
  /** Its address on the network it started on. */
  ip: string;
}

export interface ContainerRuntime {
  /** Where the runtime answers, e.g. "unix:///var/run/docker.sock", for messages. */
  readonly endpoint: string;
  build(image: ImageSpec): Promise<void>;
  createNetwork(spec: NetworkSpec): Promise<void>;
  createVolume(spec: VolumeSpec): Promise<void>;
  start(spec: ContainerSpec): Promise<StartedContainer>;
  /** Attaches a running container to another network under `aliases`; its address there. */
  connect(id: string, network: string, aliases: readonly string[]): Promise<string>;
  /** SIGKILL to the container's init: every process in it dies at once, its volumes stay. */
  kill(id: string): Promise<void>;
  /** Freezes every process of the container (cgroup freezer); unpause thaws them. */
  pause(id: string): Promise<void>;
  unpause(id: string): Promise<void>;
  /** Starts a stopped (killed) container again: same networks, names and volumes. */
  startAgain(id: string): Promise<void>;
  /** Appends the container's output from `sinceS` (Unix seconds) on to `file`, until it stops. */
  followLogs(id: string, file: string, sinceS: number): Promise<void>;
  /** Removes the container, running or not, with its anonymous volumes. */
  remove(id: string): Promise<void>;
  removeNetwork(name: string): Promise<void>;
  removeVolume(name: string): Promise<void>;
}
