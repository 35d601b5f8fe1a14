import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { read } from '../resolver/index.ts';
import { K } from '../store/redis.ts';
import { decodeStored } from '../coordinator/stored-codec.ts';
import { canonicalJson } from '../resolver/canonical-json.ts';

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
      const visible = r.siblings ? { value: r.value, siblings: r.siblings } : { value: r.value };
      hash.update(`${name.slice(K.kvPrefix.length)}\u0000${canonicalJson(visible)}\n`);
    });
  }
  return { digest: hash.digest('hex'), keys };
}
