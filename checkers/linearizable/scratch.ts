/**
 * Int32Arrays recycled between the searches of one thread. A check of many small partitions builds a few tables
 * per partition, and a fresh typed array (a zeroed backing store outside the heap, freed only by the GC) costs
 * more than the whole search of a small partition; a recycled one only needs clearing.
 */
const MAX_POOLED_BYTES = 16 << 20;
/** Free arrays by length. */
const pools = new Map<number, Int32Array[]>();
let pooledBytes = 0;

/** An Int32Array of `length` elements, each set to `fill`. */
export function takeInts(length: number, fill: number): Int32Array {
  const recycled = pools.get(length)?.pop();
  if (recycled === undefined) return fill === 0 ? new Int32Array(length) : new Int32Array(length).fill(fill);
  pooledBytes -= recycled.byteLength;
  return recycled.fill(fill);
}

/** Hands back an array from takeInts (a whole one, not a view); the caller must not touch it again. */
export function giveInts(a: Int32Array): void {
  if (pooledBytes + a.byteLength > MAX_POOLED_BYTES) return;
  let free = pools.get(a.length);
  if (free === undefined) pools.set(a.length, (free = []));
  free.push(a);
  pooledBytes += a.byteLength;
}
