import { constants as bufferLimits } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { HistoryFormatError } from './format-error.ts';

/**
 * Refuses, before a byte is read, a path that is not a regular file: a directory, a FIFO (reading one blocks until
 * a writer comes, which may be never), a device such as /dev/zero (endless) or a socket. `rift check` with many
 * paths calls this to tell a directory to expand from a file to check. Line 0 means "the file as a whole".
 */
export async function refuseNonRegular(file: string): Promise<void> {
  let kind: string | undefined;
  try {
    kind = describeKind(statSync(file));
  } catch (e) {
    throw new HistoryFormatError(file, 0, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read it (${(e as Error).message})`);
  }
  if (kind !== undefined) throw new HistoryFormatError(file, 0, `is ${kind}, not a history file`);
}

function describeKind(s: { isFile(): boolean; isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string | undefined {
  if (s.isFile()) return undefined;
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The text of a history file. The file is opened without blocking and checked with fstat on the open descriptor (so
 * a path swapped between the check and the read cannot slip a FIFO through), then read whole. Bytes that are not
 * UTF-8 are refused, naming the line: replacing them would let two different keys become one.
 * The calls are synchronous: the caller has nothing to do until the text is there, and each asynchronous one is a
 * round trip through libuv's thread pool, which for a hundred small histories in one call added up to more wall
 * time than reading them.
 */
export async function readHistoryText(file: string): Promise<string> {
  await refuseNonRegular(file);
  let fd;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new HistoryFormatError(file, 0, `cannot open it (${(e as Error).message})`);
  }
  try {
    const stats = fstatSync(fd);
    const kind = describeKind(stats);
    if (kind !== undefined) throw new HistoryFormatError(file, 0, `is ${kind}, not a history file`);
    // The text is held as one string, and V8 caps a string's length; a larger file would fail deep inside a read.
    if (stats.size > bufferLimits.MAX_STRING_LENGTH) {
      throw new HistoryFormatError(file, 0, `is ${stats.size} bytes, more than the ${bufferLimits.MAX_STRING_LENGTH} a history may have`);
    }
    return decodeUtf8(readFileSync(fd), file);
  } finally {
    closeSync(fd);
  }
}

/** Decodes strictly; on a bad byte, names its line and byte offset. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    let line = 1;
    let start = 0;
    for (;;) {
      const nl = bytes.indexOf(0x0a, start);
      const end = nl < 0 ? bytes.length : nl;
      try {
        utf8.decode(bytes.subarray(start, end));
      } catch {
        throw new HistoryFormatError(file, line, `not valid UTF-8 (a bad byte sequence after byte ${start} of the file); strings must be kept exactly, so the file is refused`);
      }
      if (nl < 0) throw new HistoryFormatError(file, line, 'not valid UTF-8');
      start = nl + 1;
      line++;
    }
  }
}
