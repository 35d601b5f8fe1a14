import type { Agent } from 'node:http';
import { peerRequest } from '../propagator/peer-client.ts';

export interface PeerHealth {
  up: boolean;
  /** ms since the last successful probe, or null if never seen. */
  lastSeenMs: number | null;
  /** Smoothed probe round trip (ms); the router prefers faster peers and distrusts slow ones. */
  rttMs: number | null;
}

export interface HealthView {
  quorum: boolean;
  degraded: boolean;
  upCount: number;
  peers: Record<string, PeerHealth>;
}

/**
 * Probes every peer (through its proxy URL) and keeps a quorum view: this region plus the peers seen within
 * `downAfterMs` must be a majority of all regions. Below that the node is degraded. Transitions are reported so
 * the node can mark and later reconcile writes taken while degraded.
 */
export class HealthMonitor {
  private readonly lastSeen = new Map<string, number>();
  private readonly rtt = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private degradedNow = false;
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly peers: Record<string, string>,
    private readonly regionCount: number,
    private readonly opts: {
      intervalMs: number;
      downAfterMs: number;
      timeoutMs: number;
      /** Keep-alive connections to the peers (a probe that times out destroys its socket). */
      agent?: Agent;
      onChange: (degraded: boolean) => void;
      /** A peer that was down (or never seen) answered. */
      onPeerUp?: (region: string) => void;
      now?: () => number;
      /** The quorum-off-by-one calibration bug: a majority taken as half the regions rounded down. */
      quorumOffByOne?: boolean;
    },
  ) {
    // Start optimistic about nobody: until a probe answers, a peer is down, so a lone node boots degraded.
    this.degradedNow = !this.computeQuorum();
  }

  start(): void {
    const tick = () => {
      for (const [region, url] of Object.entries(this.peers)) void this.probe(region, url);
      this.evaluate();
    };
    tick();
    this.timer = setInterval(tick, this.opts.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Record that a peer answered a request of ours on another channel (a Paxos message), which is as good as a probe.
   * A request from the peer is not: under a one-way cut it still reaches us while nothing of ours reaches it, and
   * counting it kept a region that could reach no peer out of degraded mode (its writes went unmarked).
   */
  sawPeer(region: string): void {
    if (region in this.peers) this.seen(region);
  }

  private seen(region: string): void {
    const wasUp = this.isUp(region);
    this.lastSeen.set(region, this.now());
    if (!wasUp) this.opts.onPeerUp?.(region);
  }

  view(): HealthView {
    const peers: Record<string, PeerHealth> = {};
    for (const region of Object.keys(this.peers)) {
      const seen = this.lastSeen.get(region);
      peers[region] = {
        up: this.isUp(region),
        lastSeenMs: seen === undefined ? null : Math.round(this.now() - seen),
        rttMs: this.rtt.has(region) ? Math.round((this.rtt.get(region) as number) * 10) / 10 : null,
      };
    }
    const upCount = 1 + Object.keys(this.peers).filter((r) => this.isUp(r)).length;
    this.evaluate();
    return { quorum: !this.degradedNow, degraded: this.degradedNow, upCount, peers };
  }

  /**
   * Judged when asked, not only at the probe tick: on a loaded node the tick runs late, and a write served in between
   * went unmarked although its region had not heard from a majority for longer than `downAfterMs`.
   */
  get degraded(): boolean {
    this.evaluate();
    return this.degradedNow;
  }

  /**
   * Predictive routing: worth sending a request to `region` only if it is up and its smoothed probe round trip
   * predicts an answer well within `budgetMs`; otherwise serving locally is the better bet.
   */
  goodRoute(region: string, budgetMs: number): boolean {
    const rtt = this.rtt.get(region);
    return this.isUp(region) && (rtt === undefined || rtt < budgetMs / 2);
  }

  /** Seen once and silent since: known to be down (a peer not heard from yet is merely unknown). */
  knownDown(region: string): boolean {
    const seen = this.lastSeen.get(region);
    return seen !== undefined && this.now() - seen > this.opts.downAfterMs;
  }

  isUp(region: string): boolean {
    const seen = this.lastSeen.get(region);
    return seen !== undefined && this.now() - seen <= this.opts.downAfterMs;
  }

  private computeQuorum(): boolean {
    const up = 1 + Object.keys(this.peers).filter((r) => this.isUp(r)).length;
    return up >= Math.floor(this.regionCount / 2) + (this.opts.quorumOffByOne ? 0 : 1);
  }

  private evaluate(): void {
    const degraded = !this.computeQuorum();
    if (degraded !== this.degradedNow) {
      this.degradedNow = degraded;
      this.opts.onChange(degraded);
    }
  }

  private async probe(region: string, url: string): Promise<void> {
    if (this.inFlight.has(region)) return;
    this.inFlight.add(region);
    const started = this.now();
    try {
      const res = await peerRequest(url, 'GET', '/health', undefined, { timeoutMs: this.opts.timeoutMs, agent: this.opts.agent });
      if (res.status === 200) {
        const took = this.now() - started;
        this.seen(region);
        const prev = this.rtt.get(region);
        this.rtt.set(region, prev === undefined ? took : prev * 0.8 + took * 0.2);
        this.evaluate();
      }
    } catch {
      // A failed probe simply does not refresh lastSeen; the peer goes down after downAfterMs.
    } finally {
      this.inFlight.delete(region);
    }
  }

  private now(): number {
    return (this.opts.now ?? (() => performance.now()))();
  }
}
