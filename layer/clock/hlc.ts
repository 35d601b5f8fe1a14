/**
 * Hybrid logical clock (Kulkarni et al. 2014), restated: the wall component follows the fastest physical
 * clock seen so far and the logical component breaks ties, so timestamps respect causality (a receive is
 * after its send) and stay close to physical time. The clock never goes backwards even if the physical
 * clock does, which is what the clock-skew nemesis does to us.
 */
export interface Hlc {
  wall: number;
  logical: number;
}

/** Beyond this many events within one millisecond the clock borrows the next millisecond instead. */
export const MAX_LOGICAL = 9_999_999_999;
/** A remote clock this far ahead of our physical clock is refused rather than adopted. */
export const DEFAULT_MAX_DRIFT_MS = 60_000;

export class ClockDriftError extends Error {
  readonly remote: Hlc;
  readonly physical: number;
  readonly maxDriftMs: number;
  constructor(remote: Hlc, physical: number, maxDriftMs: number) {
    super(
      `remote clock ${remote.wall}.${remote.logical} is ${remote.wall - physical} ms ahead of local physical time ` +
        `${physical}, more than the allowed ${maxDriftMs} ms; refusing to adopt it`,
    );
    this.name = 'ClockDriftError';
    this.remote = remote;
    this.physical = physical;
    this.maxDriftMs = maxDriftMs;
  }
}

export function compareHlc(a: Hlc, b: Hlc): number {
  if (a.wall !== b.wall) return a.wall < b.wall ? -1 : 1;
  if (a.logical !== b.logical) return a.logical < b.logical ? -1 : 1;
  return 0;
}

export function isHlc(x: unknown): x is Hlc {
  if (typeof x !== 'object' || x === null) return false;
  const { wall, logical } = x as Record<string, unknown>;
  return (
    Number.isSafeInteger(wall) && (wall as number) >= 0 &&
    Number.isSafeInteger(logical) && (logical as number) >= 0 && (logical as number) <= MAX_LOGICAL
  );
}

/** Validates untrusted input (replication bodies, Redis) into an Hlc; `where` names the field in the error. */
export function parseHlc(x: unknown, where: string): Hlc {
  if (!isHlc(x)) {
    throw new TypeError(
      `${where}: expected {wall, logical} with non-negative integers (logical <= ${MAX_LOGICAL}), got ${JSON.stringify(x)}`,
    );
  }
  return { wall: x.wall, logical: x.logical };
}

export class HlcClock {
  private last: Hlc = { wall: 0, logical: 0 };
  private readonly physicalNow: () => number;
  private readonly maxDriftMs: number;

  constructor(physicalNow: () => number = Date.now, maxDriftMs: number = DEFAULT_MAX_DRIFT_MS) {
    if (!(maxDriftMs >= 0)) throw new RangeError(`HlcClock: maxDriftMs must be >= 0 (got ${maxDriftMs})`);
    this.physicalNow = physicalNow;
    this.maxDriftMs = maxDriftMs;
  }

  /** The last timestamp issued, without issuing a new one. */
  peek(): Hlc {
    return { ...this.last };
  }

  now(): Hlc {
    const pt = this.physical();
    return this.advance(pt > this.last.wall ? { wall: pt, logical: 0 } : this.successor(this.last));
  }

  update(remote: Hlc): Hlc {
    const r = parseHlc(remote, 'HlcClock.update(remote)');
    const pt = this.physical();
    if (r.wall - pt > this.maxDriftMs) throw new ClockDriftError(r, pt, this.maxDriftMs);
    if (pt > this.last.wall && pt > r.wall) return this.advance({ wall: pt, logical: 0 });
    const newest = compareHlc(r, this.last) > 0 ? r : this.last;
    return this.advance(this.successor(newest));
  }

  private successor(h: Hlc): Hlc {
    return h.logical >= MAX_LOGICAL ? { wall: h.wall + 1, logical: 0 } : { wall: h.wall, logical: h.logical + 1 };
  }

  private advance(next: Hlc): Hlc {
    this.last = next;
    return { ...next };
  }

  private physical(): number {
    const pt = Math.floor(this.physicalNow());
    if (!Number.isSafeInteger(pt) || pt < 0) {
      throw new RangeError(`HlcClock: physical clock returned ${pt}; expected non-negative milliseconds since epoch`);
    }
    return pt;
  }
}
