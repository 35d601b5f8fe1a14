/**
 * Deliberate merge mistakes that the calibration bug switches turn on (layer/config.ts), so that a harness run can
 * show which checker catches each. All off means the correct joins of the strategy modules.
 */
import { mergeDroppingSibling } from './concurrent-writes.ts';
import { mergeReplacingFields } from './map.ts';
import { mergeRemoveWins } from './or-set.ts';
import { mergeSummingPerRegion } from './pn-counter.ts';
import type { Strategy } from './types.ts';
import { mergeWinner } from './winner.ts';

export interface MergeBugs {
  counterMergeSum?: boolean;
  orSetRemoveWins?: boolean;
  mvRegisterDropsSibling?: boolean;
  tieBreakKeepsLocal?: boolean;
  mapMergeReplacesField?: boolean;
  writeOnceKeepsLatest?: boolean;
}

type Merge = (a: never, b: never) => unknown;

/** The wrong merge for `strategy` under `bugs`, or undefined when the strategy's own merge applies. */
export function buggyMerge(strategy: Strategy, bugs: MergeBugs): Merge | undefined {
  switch (strategy) {
    case 'pn-counter':
      return bugs.counterMergeSum ? mergeSummingPerRegion : undefined;
    case 'or-set':
      return bugs.orSetRemoveWins ? mergeRemoveWins : undefined;
    case 'mv-register':
    case 'siblings':
      return bugs.mvRegisterDropsSibling ? mergeDroppingSibling : undefined;
    case 'lww':
    case 'lww-register':
      return bugs.tieBreakKeepsLocal ? (a: never, b: never) => mergeWinner(a, b, 'latest', true) : undefined;
    case 'map':
      return bugs.mapMergeReplacesField ? mergeReplacingFields : undefined;
    case 'reject':
      return bugs.writeOnceKeepsLatest ? (a: never, b: never) => mergeWinner(a, b, 'latest') : undefined;
    default:
      return undefined;
  }
}
