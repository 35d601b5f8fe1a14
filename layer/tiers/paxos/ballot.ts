/**
 * Ballots are plain numbers, round * 1000 + a slot, the proposer's tie-break within the round (see tieSlot), so they
 * are unique per proposer, totally ordered, and compared numerically inside Redis Lua (string compares there follow
 * the locale).
 */
export const REGION_SLOTS = 1000;

export function makeBallot(round: number, regionIndex: number): number {
  return round * REGION_SLOTS + regionIndex;
}

export function roundOf(ballot: number): number {
  return Math.floor(ballot / REGION_SLOTS);
}

/**
 * The proposer's slot in a round: its index in the sorted region list, rotated by the round. Each round is a
 * permutation of the proposers, so ballots stay unique; rotating it means no region wins every tie (a busy proposer
 * that always won ties would starve the others, which after a refusal retry at the same round).
 */
export function tieSlot(round: number, regionIndex: number, proposers: number): number {
  return (regionIndex + round) % proposers;
}
