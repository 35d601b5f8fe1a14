/**
 * A layer node's admin API (`x-rift-admin` token): clock hooks and failpoints. The harness calls a node there
 * directly, past every fault proxy, so it works while the region's links are cut.
 */
export class LayerAdmin {
  /** `who` starts every message ("local target"); `endpoint` is where a region's node answers admin calls. */
  constructor(
    private readonly who: string,
    private readonly token: string,
    private readonly endpoint: (region: string) => { host: string; port: number },
  ) {}

  /** The node's JSON answer; refused, or not JSON, is an error naming `what` (default: the method and path). */
  async call(region: string, method: string, path: string, body?: unknown, what = `${method} ${path}`): Promise<unknown> {
    const { host, port } = this.endpoint(region);
    const res = await fetch(`http://${host}:${port}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-rift-admin': this.token },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(3000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${this.who}: ${what} on ${region} refused: HTTP ${res.status} ${text.slice(0, 200)}`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error(`${this.who}: ${what} on ${region}: the admin hook answered non-JSON: ${text.slice(0, 200)}`);
    }
  }

  async setClockOffset(region: string, offsetMs: number): Promise<void> {
    const applied = (await this.call(region, 'POST', '/admin/clock', { offsetMs }, 'clock offset')) as { offsetMs?: unknown };
    if (applied.offsetMs !== offsetMs) throw new Error(`${this.who}: clock offset on ${region}: asked for ${offsetMs} ms, node reports ${JSON.stringify(applied.offsetMs)}`);
  }

  async setClockTick(region: string, tickMs: number | null): Promise<void> {
    const applied = (await this.call(region, 'POST', '/admin/clock', { tickMs }, 'clock tick')) as { tickMs?: unknown };
    if (applied.tickMs !== tickMs) throw new Error(`${this.who}: clock tick on ${region}: asked for ${tickMs}, node reports ${JSON.stringify(applied.tickMs)}`);
  }
}
