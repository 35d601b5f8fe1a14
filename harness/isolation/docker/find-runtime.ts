import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * Where testcontainers would look for a container runtime, checked without loading it, so that `rift run
 * --isolation docker` refuses at once when there is none. Its strategies, in its order: `tc.host` or `docker.host`
 * in ~/.testcontainers.properties, DOCKER_HOST, /var/run/docker.sock, the rootless sockets ($XDG_RUNTIME_DIR,
 * ~/.docker/run, ~/.docker/desktop, /run/user/<uid>), Windows' named pipe. Podman serves the same API on a socket of
 * its own, which testcontainers uses only when DOCKER_HOST names it. Finding a candidate does not prove that an
 * engine answers there: the docker backend connects before it deploys anything.
 */

export interface RuntimeLookup {
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  uid: number;
  platform: NodeJS.Platform;
  exists(path: string): boolean;
  read(path: string): string | undefined;
}

const hostLookup = (): RuntimeLookup => ({
  env: process.env,
  home: homedir(),
  uid: userInfo().uid,
  platform: process.platform,
  exists: existsSync,
  read: (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
});

/** What to do when no runtime is found (or none answers), for the message. */
export const GET_A_RUNTIME = 'start Docker (Docker Engine with its socket at /var/run/docker.sock, Docker Desktop, or any engine named by '
  + 'DOCKER_HOST), or Podman\'s API socket (`systemctl --user start podman.socket` and DOCKER_HOST=unix://$XDG_RUNTIME_DIR/podman/podman.sock); '
  + 'testcontainers also pulls its Ryuk image from Docker Hub unless TESTCONTAINERS_RYUK_DISABLED=true. Or run with --isolation netns or process';

/** The first place a runtime may answer, described ("DOCKER_HOST=tcp://…", "/var/run/docker.sock"), or undefined. */
export function findContainerRuntime(l: RuntimeLookup = hostLookup()): string | undefined {
  const propsFile = join(l.home, '.testcontainers.properties');
  const props = l.read(propsFile);
  for (const key of ['tc.host', 'docker.host']) {
    const m = props === undefined ? null : new RegExp(`^\\s*${key.replace('.', '\\.')}\\s*[=:]\\s*(\\S+)`, 'm').exec(props);
    if (m) return `${key}=${m[1]} (${propsFile})`;
  }
  if (l.env.DOCKER_HOST) return `DOCKER_HOST=${l.env.DOCKER_HOST}`;
  if (l.platform === 'win32') return 'npipe:////./pipe/docker_engine';
  const sockets = [
    '/var/run/docker.sock',
    ...(l.env.XDG_RUNTIME_DIR ? [join(l.env.XDG_RUNTIME_DIR, 'docker.sock')] : []),
    join(l.home, '.docker', 'run', 'docker.sock'),
    join(l.home, '.docker', 'desktop', 'docker.sock'),
    `/run/user/${l.uid}/docker.sock`,
  ];
  return sockets.find((s) => l.exists(s));
}

/** Every place findContainerRuntime looked, for the message that says none was found. */
export const LOOKED_AT = '~/.testcontainers.properties (tc.host, docker.host), DOCKER_HOST, /var/run/docker.sock, '
  + '$XDG_RUNTIME_DIR/docker.sock, ~/.docker/run/docker.sock, ~/.docker/desktop/docker.sock, /run/user/<uid>/docker.sock';
