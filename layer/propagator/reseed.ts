import type { Redis } from 'ioredis';
import { merge, parseStored, type Stored } from '../resolver/index.ts';
import { K } from '../store/redis.ts';
import { MERGE_STATES, RAISE_TO, READ_SNAPSHOT } from '../coordinator/scripts.ts';
import { decodeStored } from '../coordinator/stored-codec.ts';
import { CorruptValueError } from '../store/corrupt.ts';
import type { Logger } from '../log.ts';
import { peerRequest } from './peer-client.ts';
import type { Receiver } from './receiver.ts';

export interface ReseedOptions {
  region: string;
  /** Every other region and its base URL. */
  peers: Record<string, string>;
  secret: string;
  timeoutMs: number;
  log: Logger;
  /** Keys whose local state a pulled snapshot changed, so in-process caches drop them. */
  onMerged: (keys: string[]) => void;
}

/** What a peer's snapshot covers: its progress (own head and applied marks) taken before its scan started. */
export type Marks = Record<string, number>;

export const SNAPSHOT_PAGE_KEYS = 200;
const RETRY_MS = 100;
const MAX_MERGE_ATTEMPTS = 200;

/**
 * Re-seeding: a region pulls another region's key states (a paged snapshot) and joins them into its own with the
 * resolver's merge, the same join replication uses, so pulling twice, or pulling while replication also delivers,
 * changes nothing more. The snapshot comes with the serving region's progress taken before its scan, which the
 * states are known to cover; only then does this region raise its applied mark for that origin, so shipping
 * resumes from the log right after it.
 *
 * Two callers: a region that starts on an empty data set (its Redis was wiped) pulls from every peer before it
 * serves clients, and a region whose peer's shipper stalled (it needs entries trimmed from that peer's log) pulls
 * from that peer on request.
 */
export class Reseeder {
  private readonly pulls = new Map<string, Promise<Marks>>();
  /** The highest dot of this region's own writes seen in pulled states. */
  private ownDot = 0;

  constructor(
    private readonly redis: Redis,
    private readonly receiver: Receiver,
    private readonly opts: ReseedOptions,
  ) {}

  /**
   * Whether this region's data set must be seeded from its peers before it serves: it is empty (no seeded marker and
   * nothing else of the layer's), or a seeding was interrupted (the in-progress marker is set before the first pull,
   * so a crash part-way does not leave a half-seeded region that looks seeded). A data set with a log head or
   * applied marks but neither marker predates the markers.
   */
  async needsSeed(): Promise<boolean> {
    const [seeding, seeded, head, applied] = await Promise.all([
      this.redis.exists(K.seeding), this.redis.exists(K.seeded), this.redis.exists(K.head), this.redis.hlen(K.applied),
    ]);
    if (seeding) return true;
    if (seeded) return false;
    if (head || applied) {
      await this.redis.set(K.seeded, '1');
      return false;
    }
    await this.redis.set(K.seeding, '1');
    return true;
  }

  /**
   * Seeds an empty data set from every peer (each must answer; a peer's own writes may be held by no one else),
   * then continues this region's log after the highest entry any peer has applied from it: a log sequence at or
   * below that would be skipped as already applied. Returns the new log head.
   */
  async seedFromAll(isRunning: () => boolean): Promise<number> {
    const started = performance.now();
    const results = await Promise.all(Object.keys(this.opts.peers).map((peer) => this.pullUntilDone(peer, isRunning)));
    const ownApplied = Math.max(0, ...results.map((m) => m[this.opts.region] ?? 0));
    const head = Number(await RAISE_TO.run(this.redis, [K.head], ['', ownApplied]));
    // The dot counter went with the data: continue above every dot of this region that a surviving state shows.
    await RAISE_TO.run(this.redis, [K.dot], ['', this.ownDot]);
    await this.redis.multi().set(K.seeded, '1').del(K.seeding).exec();
    this.opts.log.info('re-seeded from peers', { head, seconds: Number(((performance.now() - started) / 1000).toFixed(3)), marks: Object.fromEntries(Object.keys(this.opts.peers).map((p, i) => [p, results[i][p] ?? 0])) });
    return head;
  }

  /** Pulls `origin`'s snapshot unless a pull from it is already running; resolves with the marks it covered. */
  pullFrom(origin: string): Promise<Marks> {
    const running = this.pulls.get(origin);
    if (running) return running;
    const p = this.pull(origin).finally(() => this.pulls.delete(origin));
    this.pulls.set(origin, p);
    return p;
  }

  private async pullUntilDone(peer: string, isRunning: () => boolean): Promise<Marks> {
    for (let failures = 0; ; failures++) {
      try {
        return await this.pullFrom(peer);
      } catch (e) {
        if (!isRunning()) throw e;
        if (failures % 20 === 0) this.opts.log.warn('cannot pull a snapshot yet; retrying', { peer, error: (e as Error).message });
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  private async pull(origin: string): Promise<Marks> {
    const url = this.opts.peers[origin];
    if (!url) throw new Error(`no peer ${origin}`);
    let cursor = '0';
    let marks: Marks | undefined;
    let keys = 0;
    do {
      const res = await peerRequest(url, 'POST', '/internal/snapshot', { cursor, count: SNAPSHOT_PAGE_KEYS }, { timeoutMs: this.opts.timeoutMs, secret: this.opts.secret });
      if (res.status !== 200) throw new Error(`snapshot page from ${origin} refused: ${res.status} ${JSON.stringify(res.body)}`);
      const page = parsePage(res.body, origin);
      if (cursor === '0') {
        if (!page.marks) throw new Error(`snapshot from ${origin}: the first page has no marks`);
        marks = page.marks;
      }
      if (page.unreadable.length) this.opts.log.warn('peer snapshot left out keys it cannot read', { peer: origin, keys: page.unreadable.slice(0, 20) });
      await this.mergePage(page.states);
      keys += page.states.length;
      cursor = page.cursor;
    } while (cursor !== '0');
    const covered = marks as Marks;
    await this.receiver.raiseMark(origin, covered[origin] ?? 0);
    this.opts.log.info('pulled a snapshot', { peer: origin, keys, applied: this.receiver.applied(origin) });
    return covered;
  }

  /** Joins a page of states into the local ones, atomically against concurrent writes (re-read on a lost race). */
  private async mergePage(states: [string, Stored][]): Promise<void> {
    if (states.length === 0) return;
    const keys = [...new Set(states.map(([k]) => k))];
    for (const [, st] of states) if (st.version.region === this.opts.region) this.ownDot = Math.max(this.ownDot, st.version.seq);
    for (let attempt = 0; attempt < MAX_MERGE_ATTEMPTS; attempt++) {
      const raw = (await READ_SNAPSHOT.run(this.redis, [K.applied, ...keys.map(K.kv)], ['-'])) as (string | number)[];
      const current = new Map<string, string>(keys.map((k, i) => [k, String(raw[2 + 2 * i])]));
      const state = new Map<string, Stored | undefined>(keys.map((k) => [k, localState(k, current.get(k) as string)]));
      for (const [key, incoming] of states) state.set(key, merge(state.get(key), incoming).stored);
      const expected: string[] = [];
      const write: string[] = [];
      const json: string[] = [];
      const changed: string[] = [];
      keys.forEach((key, i) => {
        expected.push(String(raw[1 + 2 * i]));
        const text = JSON.stringify(state.get(key));
        const differs = text !== current.get(key);
        write.push(differs ? '1' : '0');
        json.push(differs ? text : '');
        if (differs) changed.push(key);
      });
      if (changed.length === 0) return;
      if (Number(await MERGE_STATES.run(this.redis, keys.map(K.kv), [keys.length, ...expected, ...write, ...json])) === 1) {
        this.opts.onMerged(changed);
        return;
      }
    }
    throw new Error(`could not merge a snapshot page: lost ${MAX_MERGE_ATTEMPTS} races with local writes`);
  }
}

/** Validates a snapshot page from a peer; errors name the field. */
function parsePage(x: unknown, origin: string): { cursor: string; marks?: Marks; states: [string, Stored][]; unreadable: string[] } {
  const where = `snapshot from ${origin}`;
  if (typeof x !== 'object' || x === null) throw new TypeError(`${where}: expected an object`);
  const o = x as Record<string, unknown>;
  if (typeof o.cursor !== 'string' || !/^\d+$/.test(o.cursor)) throw new TypeError(`${where}.cursor: expected a SCAN cursor`);
  if (!Array.isArray(o.states)) throw new TypeError(`${where}.states: expected an array`);
  let marks: Marks | undefined;
  if (o.marks !== undefined) {
    if (typeof o.marks !== 'object' || o.marks === null) throw new TypeError(`${where}.marks: expected an object`);
    marks = {};
    for (const [r, v] of Object.entries(o.marks)) {
      if (!Number.isSafeInteger(v) || (v as number) < 0) throw new TypeError(`${where}.marks.${r}: expected a non-negative integer`);
      marks[r] = v as number;
    }
  }
  const states = o.states.map((s: unknown, i: number): [string, Stored] => {
    if (!Array.isArray(s) || s.length !== 2 || typeof s[0] !== 'string' || s[0].length === 0) throw new TypeError(`${where}.states[${i}]: expected [key, state]`);
    return [s[0], parseStored(s[1], `${where}.states[${i}][1]`)];
  });
  const unreadable = Array.isArray(o.unreadable) ? o.unreadable.filter((k): k is string => typeof k === 'string') : [];
  return { cursor: o.cursor, ...(marks ? { marks } : {}), states, unreadable };
}

/** A local key's state; data the layer did not write there is replaced by the peer's state, as replication does. */
function localState(key: string, json: string): Stored | undefined {
  try {
    return decodeStored(json, key);
  } catch (e) {
    if (e instanceof CorruptValueError) return undefined;
    throw e;
  }
}
