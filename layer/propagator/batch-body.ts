import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * Replication batches travel deflated: whole key states with versions and vector clocks repeat the same field
 * names and region names, so they shrink several times over, and the signature covers the bytes actually sent.
 * Level 1: on this workload it compresses nearly as well as the default level at a fraction of the CPU. A small
 * batch (steady traffic: a few entries per round trip) goes as plain JSON.
 */
export const BATCH_ENCODING = 'deflate-raw';

/** A batch inflates to at most this much JSON, so a small body cannot expand into an unbounded one. */
export const MAX_BATCH_JSON = 64 * 1024 * 1024;

/** Below this much JSON a batch goes uncompressed: setting up zlib on both sides costs more than the bytes saved. */
export const MIN_DEFLATE_JSON = 4096;

/** The body to send (JSON text, or its UTF-8 bytes) and its content-encoding (undefined: plain JSON). */
export function encodeBatchBody(json: string | Buffer): { bytes: Buffer; encoding: string | undefined } {
  if (json.length < MIN_DEFLATE_JSON) return { bytes: typeof json === 'string' ? Buffer.from(json, 'utf8') : json, encoding: undefined };
  return { bytes: deflateRawSync(json, { level: 1 }), encoding: BATCH_ENCODING };
}

/** The JSON bytes (UTF-8) of a received batch body; a body with no content-encoding is plain JSON (older senders). */
export function decodeBatchBody(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === undefined || encoding === 'identity') return body;
  if (encoding !== BATCH_ENCODING) throw new TypeError(`content-encoding ${JSON.stringify(encoding)} is not supported; expected ${BATCH_ENCODING}`);
  try {
    return inflateRawSync(body, { maxOutputLength: MAX_BATCH_JSON });
  } catch (e) {
    throw new TypeError(`cannot inflate the batch body (limit ${MAX_BATCH_JSON} bytes of JSON): ${(e as Error).message}`);
  }
}
