/** A deployed system under test: regions, each reachable through its client proxy. */
export interface Target {
  readonly name: string;
  readonly regions: readonly string[];
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /** Address a client in `region` uses (already routed through the fault proxy). */
  clientEndpoint(region: string): { host: string; port: number };
}

export interface Killable { kill(region: string): Promise<void>; restart(region: string): Promise<void>; }
export interface Pausable { pause(region: string): Promise<void>; resume(region: string): Promise<void>; }
export interface ClockSkewable { setClockOffset(region: string, offsetMs: number): Promise<void>; }
/** Makes a region's clock advance in steps of `tickMs` aligned to the epoch (so stepped regions read equal times), or smoothly again with null. */
export interface ClockSteppable { setClockTick(region: string, tickMs: number | null): Promise<void>; }
export interface HasLogs { logFiles(): readonly string[]; }

export const isKillable = (t: unknown): t is Killable =>
  typeof (t as Killable)?.kill === 'function' && typeof (t as Killable)?.restart === 'function';
export const isPausable = (t: unknown): t is Pausable =>
  typeof (t as Pausable)?.pause === 'function' && typeof (t as Pausable)?.resume === 'function';
export const isClockSkewable = (t: unknown): t is ClockSkewable =>
  typeof (t as ClockSkewable)?.setClockOffset === 'function';
export const isClockSteppable = (t: unknown): t is ClockSteppable =>
  typeof (t as ClockSteppable)?.setClockTick === 'function';
export const hasLogs = (t: unknown): t is HasLogs => typeof (t as HasLogs)?.logFiles === 'function';

/**
 * Names of directed network links, as the fault network knows them:
 *   `client:<region>`      connections clients open to `region`'s node;
 *   `peer:<from>-><to>`    connections `from`'s node opens to `to`'s node (what `from` sends reaches `to`
 *                          over it, and `to`'s answers come back over it).
 */
export const clientLink = (region: string): string => `client:${region}`;
export const peerLink = (from: string, to: string): string => `peer:${from}->${to}`;

/** How a cut link behaves: `clean` refuses and resets connections; `black-hole` accepts them and drops every byte. */
export type CutMode = 'clean' | 'black-hole';

/** The target's network as the nemesis sees it: every link a fault can be put on, by name. */
export interface FaultNetwork {
  readonly links: readonly string[];
  /** Cuts the links (adding to those already cut); heal() restores them all. */
  cut(links: readonly string[], mode: CutMode): Promise<void>;
  heal(): Promise<void>;
  /** Adds `latencyMs ± jitterMs` each way, so a request/response pays about twice that. Replaces earlier latency on the link. */
  setLatency(link: string, latencyMs: number, jitterMs: number): Promise<void>;
  clearLatency(): Promise<void>;
  /** Limits each direction of the link to `rateKBps` kilobytes per second. */
  setBandwidth(link: string, rateKBps: number): Promise<void>;
  clearBandwidth(): Promise<void>;
  /** Removes every fault from every link. */
  healAll(): Promise<void>;
}

export interface HasFaultNetwork { readonly network: FaultNetwork; }
export const hasFaultNetwork = (t: unknown): t is HasFaultNetwork =>
  typeof (t as HasFaultNetwork)?.network?.cut === 'function';
