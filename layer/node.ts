import type { Redis } from 'ioredis';
import { Agent } from 'node:http';
import type { NodeConfig } from './config.ts';
import { connectRedis, K } from './store/redis.ts';
import { NodeClock } from './coordinator/node-clock.ts';
import { Coordinator } from './coordinator/coordinator.ts';
import { StateCache } from './coordinator/state-cache.ts';
import { Receiver } from './propagator/receiver.ts';
import { Shipper } from './propagator/shipper.ts';
import { LogTrimmer } from './propagator/log-trimmer.ts';
import { Reseeder } from './propagator/reseed.ts';
import { HealthMonitor } from './health/health.ts';
import { DegradedMarkers } from './health/markers.ts';
import { EventualTier } from './tiers/eventual.ts';
import { CriticalTier } from './tiers/critical.ts';
import { RedisAcceptor } from './tiers/paxos/acceptor.ts';
import { Proposer, type AcceptorHandle } from './tiers/paxos/proposer.ts';
import { remoteAcceptor } from './tiers/paxos/remote-acceptor.ts';
import { HomeRouter } from './router/home.ts';
import { LATENCY_BUCKETS, Metrics } from './ops/metrics.ts';
import { DigestMemo } from './ops/digest.ts';
import type { Logger } from './log.ts';
import { Failpoints } from './failpoints/registry.ts';

/**
 * One region's layer node: owns the Redis connection and wires the coordinator, the propagator (receiver and
 * one shipper per peer), the health view, the tiers and the metrics together. HTTP lives in server.ts.
 */
export class LayerNode {
  readonly redis: Redis;
  readonly clock: NodeClock;
  readonly coordinator: Coordinator;
  readonly receiver: Receiver;
  readonly shippers: Shipper[];
  readonly trimmer: LogTrimmer;
  readonly reseeder: Reseeder;
  /** Resolves once the node serves clients: at once, or after its wiped data set was re-seeded from its peers. */
  ready: Promise<void> = Promise.resolve();
  private running = false;
  readonly health: HealthMonitor;
  readonly markers: DegradedMarkers;
  readonly eventual: EventualTier;
  readonly critical: CriticalTier;
  readonly acceptor: RedisAcceptor;
  readonly router: HomeRouter;
  readonly metrics = new Metrics();
  /**
   * Keep-alive connections for Paxos messages, health probes and forwarded requests (the shippers have their own):
   * a fresh connection per message, through a proxy, cost more than the message. A request that times out destroys
   * its socket (peer-client.ts), so a cut link cannot leave a hanging one in the pool; idle ones close after 1 s,
   * well before the peer's server would close them under a request.
   */
  readonly peerAgent = new Agent({ keepAlive: true, timeout: 1_000 });
  /** Counts and logs a key found holding data the layer did not write (store/corrupt.ts). */
  readonly reportCorrupt: (where: 'request' | 'replication', key: string, reason: string) => void;
  /** Such keys as of the last /digest. */
  corruptKeys = 0;
  readonly digestMemo = new DigestMemo();
  readonly failpoints: Failpoints;
  private head = 0;
  private reconciling = false;

  constructor(
    readonly config: NodeConfig,
    readonly log: Logger,
  ) {
    const bug = (b: NodeConfig['bugs'][number]) => config.bugs.includes(b);
    this.redis = connectRedis(config.redis.host, config.redis.port, config.redis.password);
    this.redis.on('error', (e: Error) => log.debug('redis error', { error: e.message }));
    this.failpoints = new Failpoints((name) => {
      log.error('failpoint crash', { failpoint: name });
      process.kill(process.pid, 'SIGKILL');
      throw new Error('unreachable: SIGKILL returned');
    });
    this.clock = new NodeClock(bug('wall-clock-lww'), config.maxClockDriftMs, bug('hlc-reset-on-skew'));
    this.router = new HomeRouter(config.regions, config.placement);

    const writeLatency = this.metrics.histogram('rift_write_latency_seconds', 'Local write latency (coordinator commit)', LATENCY_BUCKETS);
    const resolution = this.metrics.histogram('rift_resolution_latency_seconds', 'Time to merge a replicated entry into local state', LATENCY_BUCKETS);
    const conflicts = this.metrics.counter('rift_conflicts_total', 'Concurrent writes detected on merge, by strategy');
    const applied = this.metrics.counter('rift_replicated_entries_applied_total', 'Replicated log entries applied, by origin');
    const criticalOps = this.metrics.counter('rift_critical_ops_total', 'Critical-tier operations by op and outcome');
    const criticalLatency = this.metrics.histogram('rift_critical_latency_seconds', 'Critical-tier round latency', LATENCY_BUCKETS);
    const corrupt = this.metrics.counter('rift_corrupt_values_total', 'Requests and replicated entries that met a key holding data the layer did not write');
    this.reportCorrupt = (where, key, reason) => {
      corrupt({ where });
      log.error('key holds data the layer did not write', { where, key, reason });
    };

    const states = new StateCache();
    this.coordinator = new Coordinator(this.redis, config.region, this.clock, {
      checkVersions: !bug('skip-version-check'),
      ackBeforeWrite: bug('ack-before-write'),
      dotBlockOverlap: bug('dot-block-overlap'),
      onCommit: (seq) => {
        this.head = Math.max(this.head, seq);
        for (const s of this.shippers) s.notify();
      },
      onBackgroundError: (e) => log.error('write acknowledged but not committed', { error: (e as Error).message }),
    }, states);
    this.receiver = new Receiver(this.redis, this.clock, {
      onApplied: (origin, entries, merged) => {
        applied({ origin }, entries);
        // The write cache (shared with the coordinator) the receiver keeps current itself.
        for (const key of merged.keys()) this.eventual.cache.invalidate(key);
      },
      onConflict: (_key, strategy) => conflicts({ strategy }),
      onResolution: (s) => resolution.observe(s),
      onCorrupt: (key, reason) => this.reportCorrupt('replication', key, reason),
    }, {
      failpoints: this.failpoints,
      checkpointBeforeApply: bug('checkpoint-before-apply'),
      ignoreGap: bug('ignore-gap'),
      applyWithoutVersionCheck: bug('apply-without-version-check'),
    }, {
      counterMergeSum: bug('counter-merge-sum'),
      orSetRemoveWins: bug('or-set-remove-wins'),
      mvRegisterDropsSibling: bug('mv-register-drops-sibling'),
      tieBreakKeepsLocal: bug('tie-break-local'),
      mapMergeReplacesField: bug('map-merge-replaces-field'),
      writeOnceKeepsLatest: bug('write-once-keeps-latest'),
    }, states);
    this.shippers = Object.entries(config.peers).map(
      ([peer, url]) =>
        new Shipper(this.redis, {
          origin: config.region,
          peer,
          peerUrl: url,
          secret: config.secret,
          batchSize: config.batchSize,
          timeoutMs: Math.max(config.peerTimeoutMs, 2_000),
          logHead: () => this.head,
          dropBatchOnRetry: bug('drop-batch-on-retry'),
          failpoints: this.failpoints,
          log,
        }),
    );
    this.trimmer = new LogTrimmer(this.redis, {
      peers: Object.keys(config.peers),
      intervalMs: config.logTrimIntervalMs,
      retainEntries: config.logRetainEntries,
      log,
    });
    this.reseeder = new Reseeder(this.redis, this.receiver, {
      region: config.region,
      peers: config.peers,
      secret: config.secret,
      timeoutMs: Math.max(config.peerTimeoutMs, 5_000),
      log,
      onMerged: (keys) => {
        for (const key of keys) {
          this.eventual.cache.invalidate(key);
          this.coordinator.invalidate(key);
        }
      },
    });
    this.markers = new DegradedMarkers(this.redis);
    this.health = new HealthMonitor(config.peers, config.regions.length, {
      intervalMs: config.probeIntervalMs,
      downAfterMs: config.peerDownAfterMs,
      timeoutMs: config.peerTimeoutMs,
      agent: this.peerAgent,
      onChange: (degraded) => log.warn(degraded ? 'entering degraded mode: below quorum' : 'leaving degraded mode: quorum restored', { view: this.health.view() }),
      onPeerUp: (peer) => this.shippers.find((s) => s.status().peer === peer)?.peerUp(),
      quorumOffByOne: bug('quorum-off-by-one'),
    });
    this.eventual = new EventualTier({
      region: config.region,
      coordinator: this.coordinator,
      strategies: config.strategies,
      hotStalenessMs: config.hotStalenessMs,
      progress: () => this.progress(),
      isDegraded: () => this.health.degraded,
      isMarked: (k) => this.markers.has(k),
      mark: (k) => this.markers.mark(k),
      onWrite: (s) => writeLatency.observe(s),
      skipSessionWait: { read: bug('session-read-no-wait'), write: bug('session-write-no-wait') },
      keepHotCacheOnWrite: bug('hot-cache-kept-on-write'),
    });
    this.acceptor = new RedisAcceptor(this.redis, {
      failpoints: this.failpoints,
      forgetPromise: bug('acceptor-forgets-promise'),
      roundOnly: bug('ballot-round-only'),
    });
    const sorted = [...config.regions].sort();
    const handles: AcceptorHandle[] = sorted.map((r) =>
      r === config.region
        ? { region: r, prepare: (k, b) => this.acceptor.prepare(k, b), accept: (k, b, v) => this.acceptor.accept(k, b, v) }
        : remoteAcceptor(r, config.peers[r], config.secret, config.peerTimeoutMs, () => this.health.sawPeer(r), this.peerAgent),
    );
    this.critical = new CriticalTier({
      proposer: new Proposer(sorted.indexOf(config.region), handles, {
        timeoutMs: config.peerTimeoutMs,
        failpoints: this.failpoints,
        readSkipsAccept: bug('read-skips-accept'),
      }),
      acceptor: this.acceptor,
      isDegraded: () => this.health.degraded,
      staleReads: bug('stale-critical-reads'),
      onOp: (op, outcome, seconds) => {
        criticalOps({ op, outcome });
        if (outcome === 'ok') criticalLatency.observe(seconds);
      },
    });

    const lagEntries = this.metrics.gauge('rift_replication_lag_entries', 'Own log entries a peer has not confirmed');
    const lagSeconds = this.metrics.gauge('rift_replication_lag_seconds', 'Age of the oldest own log entry a peer has not confirmed');
    const stalledGauge = this.metrics.gauge('rift_replication_stalled', '1 while shipping to a peer has stopped: it needs entries trimmed from the log (re-seed it)');
    const trimmedGauge = this.metrics.gauge('rift_log_trimmed_seq', 'Own log entries up to this sequence have been trimmed (every peer confirmed them)');
    const logEntriesGauge = this.metrics.gauge('rift_log_entries', 'Entries in the own replication log (as of the last trim pass)');
    const degradedGauge = this.metrics.gauge('rift_degraded', '1 while this region is below quorum');
    const markerGauge = this.metrics.gauge('rift_conflict_markers', 'Keys written while degraded, not yet reconciled');
    const reconciledGauge = this.metrics.gauge('rift_conflict_markers_reconciled_total', 'Conflict markers cleared after healing');
    const headGauge = this.metrics.gauge('rift_log_head', 'Own replication log head sequence');
    const hotGauge = this.metrics.gauge('rift_hot_cache_lookups', 'Hot-tier cache lookups by result');
    const corruptGauge = this.metrics.gauge('rift_corrupt_keys', 'Keys holding data the layer did not write, as of the last /digest');
    const appliedGauge = this.metrics.gauge('rift_applied_seq', 'Highest log sequence applied here, by origin (own region: own log head)');
    this.metrics.onCollect(() => {
      for (const s of this.shippers) {
        const st = s.status();
        lagEntries({ peer: st.peer }, Math.max(0, this.head - st.acked));
        lagSeconds({ peer: st.peer }, this.head > st.acked && st.oldestPendingTs !== null ? Math.max(0, (Date.now() - st.oldestPendingTs) / 1000) : 0);
        stalledGauge({ peer: st.peer }, st.stalled === null ? 0 : 1);
      }
      const trim = this.trimmer.status();
      trimmedGauge({}, trim.trimmedThrough);
      logEntriesGauge({}, trim.entries);
      degradedGauge({}, this.health.degraded ? 1 : 0);
      markerGauge({}, this.markers.size);
      reconciledGauge({}, this.markers.reconciled);
      headGauge({}, this.head);
      corruptGauge({}, this.corruptKeys);
      for (const [origin, seq] of Object.entries(this.progress())) appliedGauge({ origin }, seq);
      hotGauge({ result: 'hit' }, this.eventual.cache.hits);
      hotGauge({ result: 'miss' }, this.eventual.cache.misses);
    });
  }

  /** What this region holds: its own log head and the applied mark from every other origin. */
  progress(): Record<string, number> {
    return { ...this.receiver.appliedAll(), [this.config.region]: this.head };
  }

  async start(): Promise<void> {
    await waitReady(this.redis);
    this.head = Number((await this.redis.get(K.head)) ?? 0);
    await this.receiver.load();
    await this.markers.load();
    await this.trimmer.load();
    this.running = true;
    if (await this.reseeder.needsSeed()) {
      this.coordinator.setSeeding(true);
      this.ready = this.reseeder.seedFromAll(() => this.running).then((head) => {
        this.head = Math.max(this.head, head);
        this.coordinator.setSeeding(false);
      });
    }
    for (const s of this.shippers) s.start();
    this.trimmer.start();
    this.health.start();
    this.reconcileLoop();
  }

  /** A peer's shipper found this region needs entries its log no longer holds: pull that peer's snapshot. */
  reseedFrom(origin: string): void {
    this.reseeder.pullFrom(origin).catch((e: unknown) => this.log.warn('re-seed pull failed', { peer: origin, error: (e as Error).message }));
  }

  async stop(): Promise<void> {
    this.running = false;
    this.health.stop();
    this.reconciling = false;
    await Promise.all([this.trimmer.stop(), ...this.shippers.map((s) => s.stop())]);
    this.peerAgent.destroy();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Markers are reconciled once the region has quorum again and every peer has confirmed our whole log. */
  private reconcileLoop(): void {
    this.reconciling = true;
    const tick = async () => {
      if (!this.reconciling) return;
      try {
        const caughtUp = this.shippers.every((s) => s.status().acked >= this.head);
        if (!this.health.degraded && this.markers.size > 0 && caughtUp) {
          const n = await this.markers.reconcileAll();
          this.log.info('conflict markers reconciled after heal', { keys: n });
        }
      } catch (e) {
        this.log.warn('reconcile failed', { error: (e as Error).message });
      }
      if (this.reconciling) setTimeout(tick, 250).unref();
    };
    setTimeout(tick, 250).unref();
  }
}

function waitReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => redis.once('ready', () => resolve()));
}
