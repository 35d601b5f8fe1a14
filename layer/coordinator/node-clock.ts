import { HlcClock, type Hlc } from '../clock/hlc.ts';

/**
 * The node's clock: an HLC over the physical clock plus the offset the clock-skew fault hook sets (or frozen at
 * one instant by the clock-tie fault hook, so two regions frozen alike hand out equal timestamps). With the
 * wall-clock-lww bug it hands out raw (skewed) wall time instead, so a node whose clock is behind loses
 * last-writer-wins races it should have won; that is the calibration bug.
 */
export class NodeClock {
  private offset = 0;
  /** Wall time the clock-tie fault froze the physical clock at (epoch ms), or null while it runs. */
  private frozen: number | null = null;
  private readonly hlc: HlcClock;

  constructor(
    private readonly rawWallClock: boolean,
    maxDriftMs: number,
  ) {
    this.hlc = new HlcClock(() => this.physical(), maxDriftMs);
  }

  get offsetMs(): number {
    return this.offset;
  }

  get frozenAtMs(): number | null {
    return this.frozen;
  }

  setOffset(ms: number): void {
    this.offset = ms;
  }

  /** Stops the physical clock at `atMs` (null: runs again, offset applied); the HLC then advances by its logical part only. */
  freeze(atMs: number | null): void {
    this.frozen = atMs;
  }

  private physical(): number {
    return this.frozen ?? Date.now() + this.offset;
  }

  now(): Hlc {
    return this.rawWallClock ? { wall: Math.max(0, Math.floor(this.physical())), logical: 0 } : this.hlc.now();
  }

  /** Called for every remote timestamp received; throws ClockDriftError for a clock too far ahead. */
  observe(remote: Hlc): void {
    if (!this.rawWallClock) this.hlc.update(remote);
  }
}
