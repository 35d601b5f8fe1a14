import { HlcClock, type Hlc } from '../clock/hlc.ts';

/**
 * The node's clock: an HLC over the physical clock plus the offset the clock-skew fault hook sets. With the
 * wall-clock-lww bug it hands out raw (skewed) wall time instead, so a node whose clock is behind loses
 * last-writer-wins races it should have won; that is the calibration bug.
 */
export class NodeClock {
  private offset = 0;
  private readonly hlc: HlcClock;

  constructor(
    private readonly rawWallClock: boolean,
    maxDriftMs: number,
  ) {
    this.hlc = new HlcClock(() => Date.now() + this.offset, maxDriftMs);
  }

  get offsetMs(): number {
    return this.offset;
  }

  setOffset(ms: number): void {
    this.offset = ms;
  }

  now(): Hlc {
    return this.rawWallClock ? { wall: Math.max(0, Math.floor(Date.now() + this.offset)), logical: 0 } : this.hlc.now();
  }

  /** Called for every remote timestamp received; throws ClockDriftError for a clock too far ahead. */
  observe(remote: Hlc): void {
    if (!this.rawWallClock) this.hlc.update(remote);
  }
}
