import type { FaultOutcome, Nemesis } from '../../core/nemesis.ts';
import type { Op } from '../../core/op.ts';
import type { FaultNetwork } from '../../core/target.ts';
import { attempt, didNotTakeEffect, unknownF } from './outcome.ts';

/** `bandwidth` {rateKBps}: limits every region→region link, each direction; `clear-bandwidth` lifts it. */
export class BandwidthFault implements Nemesis {
  readonly fs: ReadonlySet<string> = new Set(['bandwidth', 'clear-bandwidth']);

  constructor(private readonly network: FaultNetwork) {}

  async invoke(op: Op): Promise<FaultOutcome> {
    if (op.f === 'clear-bandwidth') return attempt('cleared bandwidth limits', () => this.network.clearBandwidth());
    if (op.f !== 'bandwidth') unknownF(op, this.fs);
    const rate = (op.value as { rateKBps?: unknown } | null)?.rateKBps;
    if (typeof rate !== 'number' || !(rate > 0)) {
      return didNotTakeEffect('bandwidth: bad value', new Error(`value must be {rateKBps: number > 0}, got ${JSON.stringify(op.value)}`));
    }
    const peers = this.network.links.filter((l) => l.startsWith('peer:'));
    return attempt(`region links limited to ${rate} KB/s`, async () => {
      await Promise.all(peers.map((l) => this.network.setBandwidth(l, rate)));
    });
  }

  async teardown(): Promise<void> {
    await this.network.clearBandwidth();
  }
}
