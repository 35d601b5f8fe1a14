import type { FaultOutcome, Nemesis } from '../../core/nemesis.ts';
import type { Op } from '../../core/op.ts';
import { peerLink, type FaultNetwork } from '../../core/target.ts';
import { latencyMatrix } from '../wan-presets.ts';
import { attempt, didNotTakeEffect, unknownF } from './outcome.ts';

/**
 * `latency` {preset} puts a WAN latency matrix on every region→region link: for a pair with round trip R
 * and jitter J, both directed links get R/2 ± J/2 each way, so a request/response between them pays about R.
 * The info value records the matrix actually applied. `clear-latency` removes it everywhere.
 */
export class LatencyFault implements Nemesis {
  readonly fs: ReadonlySet<string> = new Set(['latency', 'clear-latency']);

  constructor(private readonly network: FaultNetwork, private readonly regions: readonly string[]) {}

  async invoke(op: Op): Promise<FaultOutcome> {
    if (op.f === 'clear-latency') return attempt('cleared latency', () => this.network.clearLatency());
    if (op.f !== 'latency') unknownF(op, this.fs);
    let matrix: ReturnType<typeof latencyMatrix>;
    const preset = (op.value as { preset?: unknown } | null)?.preset;
    try {
      if (typeof preset !== 'string') throw new Error(`value must be {preset: string}, got ${JSON.stringify(op.value)}`);
      matrix = latencyMatrix(this.regions, preset);
    } catch (e) {
      return didNotTakeEffect('latency: bad value', e);
    }
    return attempt(`latency ${preset}`, async () => {
      await Promise.all(
        Object.entries(matrix).flatMap(([pair, d]) => {
          const [a, b] = pair.split('<->');
          return [peerLink(a, b), peerLink(b, a)].map((l) => this.network.setLatency(l, d.rttMs / 2, d.jitterMs / 2));
        }),
      );
      return { preset, rttMs: Object.fromEntries(Object.entries(matrix).map(([k, d]) => [k, `${d.rttMs}±${d.jitterMs}`])) };
    });
  }

  async teardown(): Promise<void> {
    await this.network.clearLatency();
  }
}
