import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { read, type ReadResult } from '../resolver/index.ts';
import { K } from '../store/redis.ts';
import { decodeStored } from '../coordinator/stored-codec.ts';
import { canonicalJson } from '../resolver/canonical-json.ts';
import { CorruptValueError, isWrongTypeError } from '../store/corrupt.ts';

/** How many corrupt key names a digest lists (all are counted). */
const MAX_LISTED_CORRUPT = 100;
/** States up to this size are remembered between digests (see DigestMemo); larger ones are decoded each time. */
const MAX_MEMO_JSON = 16 * 1024;

/** What a key contributes to the digest: its line, nothing (absent or empty), or 'corrupt'. */
type Contribution = string | null | 'corrupt';

/**
 * The contribution of each key's state as last seen, by its exact JSON: the convergence prober asks every region
 * for a digest several times a second, and decoding every state each time cost more than the rest of the digest.
 * A key whose JSON changed (including data written past the layer) is decoded again.
 */
export class DigestMemo {
  lines = new Map<string, { json: string; line: Contribution }>();
}

export interface Digest {
  digest: string;
  keys: number;
  /** Keys holding data the layer did not write: left out of the hash, so one such key cannot break the digest. */
  corrupt: { count: number; keys: string[] };
}

/**
 * Hash of the resolved (client-visible) state of every replicated key: two regions that have converged give the
 * same digest. Critical keys live in Paxos acceptor state, not here, and are not part of it.
 */
export async function computeDigest(redis: Redis, memo = new DigestMemo()): Promise<Digest> {
  const names: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${K.kvPrefix}*`, 'COUNT', 1000);
    cursor = next;
    names.push(...batch);
  } while (cursor !== '0');
  names.sort();
  const hash = createHash('sha256');
  let keys = 0;
  const corrupt: Digest['corrupt'] = { count: 0, keys: [] };
  const skip = (key: string) => {
    corrupt.count++;
    if (corrupt.keys.length < MAX_LISTED_CORRUPT) corrupt.keys.push(key);
  };
  const seen = new Map<string, { json: string; line: Contribution }>();
  for (let i = 0; i < names.length; i += 500) {
    const chunk = names.slice(i, i + 500);
    const pipe = redis.pipeline();
    for (const n of chunk) pipe.hget(n, 's');
    const res = (await pipe.exec()) ?? [];
    chunk.forEach((name, j) => {
      const key = name.slice(K.kvPrefix.length);
      const [err, json] = res[j] ?? [];
      const known = typeof json === 'string' ? memo.lines.get(key) : undefined;
      const line = known && known.json === json ? known.line : contribution(key, err, json);
      if (typeof json === 'string' && json.length <= MAX_MEMO_JSON) seen.set(key, { json, line });
      if (line === 'corrupt') return skip(key);
      if (line === null) return;
      keys++;
      hash.update(line);
    });
  }
  memo.lines = seen;
  return { digest: hash.digest('hex'), keys, corrupt };
}

function contribution(key: string, err: Error | null | undefined, json: unknown): Contribution {
  const r = visibleState(key, err, json);
  if (r === 'corrupt') return 'corrupt';
  if (!r || (r.value === null && !r.siblings?.length)) return null;
  const visible = r.siblings ? { value: r.value, siblings: r.siblings } : { value: r.value };
  return `${key}\u0000${canonicalJson(visible)}\n`;
}

/** A key's client-visible state, undefined when absent, 'corrupt' when it holds data the layer did not write. */
function visibleState(key: string, err: Error | null | undefined, json: unknown): ReadResult | undefined | 'corrupt' {
  if (err) {
    if (isWrongTypeError(err)) return 'corrupt';
    throw err;
  }
  try {
    const stored = decodeStored(typeof json === 'string' ? json : '', key);
    return stored && read(stored);
  } catch (e) {
    if (e instanceof CorruptValueError || e instanceof TypeError) return 'corrupt';
    throw e;
  }
}
