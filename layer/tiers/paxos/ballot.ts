/**
 * Ballots are plain numbers, round * 1000 + the proposer's index in the sorted region list, so they are unique per
 * proposer, totally ordered, and compared numerically inside Redis Lua (string compares there follow the locale).
 */
export const REGION_SLOTS = 1000;

export function makeBallot(round: number, regionIndex: number): number {
  return round * REGION_SLOTS + regionIndex;
}

export function roundOf(ballot: number): number {
  return Math.floor(ballot / REGION_SLOTS);
}
