import { strict as assert } from 'node:assert';
import { findContainerRuntime, type RuntimeLookup } from '../../../harness/isolation/docker/find-runtime.ts';

const lookup = (over: Partial<RuntimeLookup> & { files?: Record<string, string> } = {}): RuntimeLookup => {
  const files = over.files ?? {};
  return {
    env: {}, home: '/home/u', uid: 1000, platform: 'linux',
    exists: (p) => p in files, read: (p) => files[p],
    ...over,
  };
};

describe('isolation/docker find-runtime: where testcontainers would find a runtime', () => {
  it('finds nothing on a machine with no socket, no DOCKER_HOST and no properties file', () => {
    assert.equal(findContainerRuntime(lookup()), undefined);
  });

  it('a podman or docker binary alone is no runtime: testcontainers talks to a socket', () => {
    assert.equal(findContainerRuntime(lookup({ files: { '/usr/bin/podman': '', '/usr/bin/docker': '' } })), undefined);
  });

  it('takes them in testcontainers\' order: properties file, DOCKER_HOST, /var/run/docker.sock, then the rootless sockets', () => {
    const props = { '/home/u/.testcontainers.properties': 'docker.host=tcp://build:2375\n' };
    assert.equal(findContainerRuntime(lookup({ files: { ...props, '/var/run/docker.sock': '' }, env: { DOCKER_HOST: 'unix:///x.sock' } })), 'docker.host=tcp://build:2375 (/home/u/.testcontainers.properties)');
    assert.equal(findContainerRuntime(lookup({ files: { '/home/u/.testcontainers.properties': 'tc.host = tcp://tc:2375\ndocker.host=tcp://b:1\n' } })), 'tc.host=tcp://tc:2375 (/home/u/.testcontainers.properties)');
    assert.equal(findContainerRuntime(lookup({ files: { '/var/run/docker.sock': '' }, env: { DOCKER_HOST: 'unix:///run/user/1000/podman/podman.sock' } })), 'DOCKER_HOST=unix:///run/user/1000/podman/podman.sock');
    assert.equal(findContainerRuntime(lookup({ files: { '/var/run/docker.sock': '', '/home/u/.docker/run/docker.sock': '' } })), '/var/run/docker.sock');
    assert.equal(findContainerRuntime(lookup({ files: { '/run/user/1000/docker.sock': '' }, env: { XDG_RUNTIME_DIR: '/run/user/1000' } })), '/run/user/1000/docker.sock');
    assert.equal(findContainerRuntime(lookup({ files: { '/home/u/.docker/desktop/docker.sock': '' } })), '/home/u/.docker/desktop/docker.sock');
    assert.equal(findContainerRuntime(lookup({ files: { '/run/user/1000/docker.sock': '' } })), '/run/user/1000/docker.sock');
  });

  it('ignores an empty DOCKER_HOST and a properties file without a host, as testcontainers does', () => {
    assert.equal(findContainerRuntime(lookup({ env: { DOCKER_HOST: '' }, files: { '/home/u/.testcontainers.properties': 'ryuk.disabled=true\n' } })), undefined);
  });
});
