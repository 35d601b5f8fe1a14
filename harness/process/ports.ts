import { createServer } from 'node:net';

/**
 * Asks the kernel for free loopback ports. Tests and runs never use fixed ports, so several can run at
 * once on one machine. The ports are released before they are returned; the small race with another
 * process grabbing one is accepted in exchange for not having to hand open sockets to child processes.
 * With host `0.0.0.0` a port is free on every address, for listeners on loopback addresses other than 127.0.0.1.
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<import('node:net').Server>((resolve, reject) => {
        const s = createServer();
        s.once('error', reject);
        s.listen(0, host, () => resolve(s));
      }),
    ),
  );
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

export async function freePort(): Promise<number> {
  return (await freePorts(1))[0];
}
