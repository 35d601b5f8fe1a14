/** Log sequences a shipper needs but the log no longer holds, inclusive. */
export interface MissingRange {
  from: number;
  to: number;
}

/**
 * What a read of the log from after `from` shows to be missing. Sequences are contiguous (the commit script does
 * the INCR of the head and the XADD in one step) and only trimming removes entries, so the first entry read must be
 * `from + 1`; when nothing is read, the head (read before the range) must not be past `from`.
 */
export function missingEntries(from: number, headBeforeRead: number, firstSeqRead: number | undefined): MissingRange | null {
  if (firstSeqRead !== undefined) return firstSeqRead > from + 1 ? { from: from + 1, to: firstSeqRead - 1 } : null;
  return headBeforeRead > from ? { from: from + 1, to: headBeforeRead } : null;
}
