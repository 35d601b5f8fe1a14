import { HlcClock, type Hlc } from '../clock/hlc.ts';

/**
 * The node's clock: an HLC over the physical clock plus the offset the clock-skew fault hook sets, optionally
 * advancing in coarse steps (the clock-tie fault hook), so two regions stepped alike hand out equal timestamps. With the
 * wall-clock-lww bug it hands out raw (skewed) wall time instead, so a node whose clock is behind loses
 * last-writer-wins races it should have won; that is the calibration bug.
 */
export class NodeClock {
  private offset = 0;
  /** Step of the physical clock set by the clock-tie fault (ms), or null for a smooth clock. */
  private tick: number | null = null;
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
    return new HlcClock(() => this.physical(), this.maxDriftMs);
  }

  get offsetMs(): number {
    return this.offset;
  }

  get tickMs(): number | null {
    return this.tick;
  }

  setOffset(ms: number): void {
    this.offset = ms;
    if (this.resetOnSkew) this.hlc = this.freshHlc();
  }

  /**
   * Makes the physical clock advance in steps of `ms`, aligned to multiples of it since the epoch (null: smooth
   * again). Between steps it stands still and the HLC advances by its logical part only, so two regions with the
   * same step read identical wall times and their writes right after a step carry equal timestamps.
   */
  setTick(ms: number | null): void {
    this.tick = ms;
  }

  private physical(): number {
    const t = Date.now() + this.offset;
    return this.tick === null ? t : Math.floor(t / this.tick) * this.tick;
  }

  now(): Hlc {
    return this.rawWallClock ? { wall: Math.max(0, Math.floor(this.physical())), logical: 0 } : this.hlc.now();
  }

  /** Called for every remote timestamp received; throws ClockDriftError for a clock too far ahead. */
  observe(remote: Hlc): void {
    if (!this.rawWallClock) this.hlc.update(remote);
  }
}
