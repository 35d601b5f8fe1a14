import { badRequest } from './errors.ts';

/**
 * Refuses JSON text nested deeper than `max` arrays/objects, by one linear scan before parsing: the parser copes
 * with deep input, but the recursive code that later walks a value (canonical JSON, size checks, CRDT merges)
 * would overflow the stack on it and answer 500.
 */
export function checkJsonDepth(buf: Buffer, max: number, what = 'request body'): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) throw badRequest(`${what} is nested more than ${max} levels deep`);
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
}
