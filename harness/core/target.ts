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
export interface HasLogs { logFiles(): readonly string[]; }

export const isKillable = (t: unknown): t is Killable =>
  typeof (t as Killable)?.kill === 'function' && typeof (t as Killable)?.restart === 'function';
export const isPausable = (t: unknown): t is Pausable =>
  typeof (t as Pausable)?.pause === 'function' && typeof (t as Pausable)?.resume === 'function';
export const isClockSkewable = (t: unknown): t is ClockSkewable =>
  typeof (t as ClockSkewable)?.setClockOffset === 'function';
export const hasLogs = (t: unknown): t is HasLogs => typeof (t as HasLogs)?.logFiles === 'function';
