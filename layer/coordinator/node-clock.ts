import { HlcClock, type Hlc } from '../clock/hlc.ts';

/**
 * The node's clock: an HLC over the physical clock plus the offset the clock-skew fault hook sets. With the
 * wall-clock-lww bug it hands out raw (skewed) wall time instead, so a node whose clock is behind loses
 * last-writer-wins races it should have won; that is the calibration bug.
 */
export class NodeClock {
  private offset = 0;
  private hlc: HlcClock;

  /**
   * `resetOnSkew` is a calibration bug: a clock re-sync starts a fresh HLC, forgetting the timestamps already
   * issued, so after the clock is set back the node's versions go backwards.
   */
  constructor(
    private readonly rawWallClock: boolean,
    private readonly maxDriftMs: number,
    private readonly resetOnSkew = false,
  ) {
    this.hlc = this.freshHlc();
  }

  private freshHlc(): HlcClock {
    return new HlcClock(() => Date.now() + this.offset, this.maxDriftMs);
  }

  get offsetMs(): number {
    return this.offset;
  }

  setOffset(ms: number): void {
    this.offset = ms;
    if (this.resetOnSkew) this.hlc = this.freshHlc();
  }

  now(): Hlc {
    return this.rawWallClock ? { wall: Math.max(0, Math.floor(Date.now() + this.offset)), logical: 0 } : this.hlc.now();
  }

  /** Called for every remote timestamp received; throws ClockDriftError for a clock too far ahead. */
  observe(remote: Hlc): void {
    if (!this.rawWallClock) this.hlc.update(remote);
  }
}
