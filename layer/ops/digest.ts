import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { read } from '../resolver/index.ts';
import { K } from '../store/redis.ts';
import { decodeStored } from '../coordinator/stored-codec.ts';

/** JSON with object keys sorted, so equal values hash equally whatever order their fields were built in. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

/**
 * Hash of the resolved (client-visible) state of every replicated key: two regions that have converged give the
 * same digest. Critical keys live in Paxos acceptor state, not here, and are not part of it.
 */
export async function computeDigest(redis: Redis): Promise<{ digest: string; keys: number }> {
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
  for (let i = 0; i < names.length; i += 500) {
    const chunk = names.slice(i, i + 500);
    const pipe = redis.pipeline();
    for (const n of chunk) pipe.hget(n, 's');
    const res = (await pipe.exec()) ?? [];
    chunk.forEach((name, j) => {
      const [err, json] = res[j] ?? [];
      if (err) throw err;
      const stored = decodeStored(typeof json === 'string' ? json : '');
      if (!stored) return;
      const r = read(stored);
      if (r.value === null && !r.siblings?.length) return;
      keys++;
      hash.update(`${name.slice(K.kvPrefix.length)}\u0000${canonicalJson(r)}\n`);
    });
  }
  return { digest: hash.digest('hex'), keys };
}
