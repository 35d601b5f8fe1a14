import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A one-way TCP link between two regions for tests, which can be cut like a black-hole partition: while cut,
 * connections are accepted but nothing passes, and connections open at the cut are dropped.
 */
export class LinkProxy {
  private readonly sockets = new Set<Socket>();
  private server: Server | null = null;
  cut = false;

  constructor(
    readonly listenPort: number,
    readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => client.destroy());
      if (this.cut) return;
      const upstream = createConnection({ host: '127.0.0.1', port: this.targetPort });
      this.sockets.add(upstream);
      upstream.on('close', () => {
        this.sockets.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => upstream.destroy());
      client.on('close', () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.listenPort, '127.0.0.1', () => resolve()));
  }

  setCut(cut: boolean): void {
    this.cut = cut;
    if (cut) for (const s of this.sockets) s.destroy();
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
