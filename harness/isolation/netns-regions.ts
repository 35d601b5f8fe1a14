import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pickBlock, regionAddress, usedBlocks, MAX_NETNS_REGIONS, type RegionAddress } from './addresses.ts';
import { createRegionNetwork, LinkTaken, regionNetworkNames, removeRegionNetwork, type RegionNetwork } from './netns.ts';
import { execInNetns, RegionSandbox } from './region-sandbox.ts';
import { installCleanup } from '../process/groups.ts';

/**
 * Namespaces not yet torn down. The process's exit (also the one spawn.ts's SIGINT/SIGTERM/SIGHUP handlers
 * cause) removes them synchronously, after those handlers killed every process group; only a SIGKILL of the
 * harness leaves them behind, for `rift clean`.
 */
const live = new Set<NetnsRegions>();
let exitHookInstalled = false;

function removeLiveOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  installCleanup();
  process.on('exit', () => {
    for (const r of live) r.removeNetworks();
  });
}

/**
 * The namespaces of one run's regions: for each region a network namespace with its own /30 (made once, kept
 * across kills so a restarted region keeps its address) and the sandbox of its current life (PID and mount
 * namespaces, remade on restart). What the local target asks of a namespaced region goes through here.
 */

export interface NetnsRegionsOptions {
  regions: readonly string[];
  /** Each region's data directory; the others' are hidden inside a region. */
  dataDir(region: string): string;
  /** Where namespaces are recorded for `rift clean` (one JSON line each). */
  resourcesFile: string;
  logDir: string;
  pidFile: string;
}

export class NetnsRegions {
  private readonly nets = new Map<string, RegionNetwork>();
  private readonly sandboxes = new Map<string, RegionSandbox>();

  private constructor(private readonly opts: NetnsRegionsOptions) {}

  /** Makes every region's namespace and veth pair; on failure removes what it made and throws. */
  static create(opts: NetnsRegionsOptions): NetnsRegions {
    if (opts.regions.length > MAX_NETNS_REGIONS) throw new Error(`netns isolation: at most ${MAX_NETNS_REGIONS} regions`);
    const runId = randomBytes(3).toString('hex');
    const used = usedBlocks();
    const self = new NetnsRegions(opts);
    removeLiveOnExit();
    live.add(self);
    for (let attempt = 0; ; attempt++) {
      const block = pickBlock(used, parseInt(runId, 16) % 256);
      try {
        opts.regions.forEach((region, i) => {
          const net: RegionNetwork = { ...regionNetworkNames(runId, region, block, i), address: regionAddress(block, i) };
          self.nets.set(region, net);
          createRegionNetwork(net, opts.resourcesFile);
        });
        return self;
      } catch (e) {
        self.removeNetworks();
        self.nets.clear();
        // Another run claimed the block between our look and our claim: take the next free one.
        if (!(e instanceof LinkTaken) || attempt >= 8) throw e;
        used.add(block);
        live.add(self);
      }
    }
  }

  private net(region: string): RegionNetwork {
    const n = this.nets.get(region);
    if (!n) throw new Error(`netns: no namespace for region "${region}"`);
    return n;
  }

  private sandbox(region: string): RegionSandbox {
    const s = this.sandboxes.get(region);
    if (!s?.alive) throw new Error(`netns: region ${region} has no running namespace`);
    return s;
  }

  address(region: string): RegionAddress {
    return this.net(region).address;
  }

  namespace(region: string): string {
    return this.net(region).ns;
  }

  /** Starts the region's PID and mount namespaces unless they are already running. */
  async start(region: string): Promise<void> {
    if (this.sandboxes.get(region)?.alive) return;
    this.sandboxes.set(region, await RegionSandbox.start({
      name: `region ${region}`,
      ns: this.net(region).ns,
      hide: this.opts.regions.filter((r) => r !== region).map((r) => this.opts.dataDir(r)),
      logFile: join(this.opts.logDir, `${region}-init.log`),
      pidFile: this.opts.pidFile,
    }));
  }

  wrap(region: string, command: string, args: readonly string[], cwd?: string): { command: string; args: string[] } {
    return this.sandbox(region).wrap(command, args, cwd);
  }

  async kill(region: string): Promise<void> {
    await this.sandboxes.get(region)?.kill();
    this.sandboxes.delete(region);
  }

  /** SIGSTOP (or SIGCONT) to every process of the region; throws unless all of them reached that state. */
  async signalAll(region: string, signal: 'SIGSTOP' | 'SIGCONT'): Promise<void> {
    const s = this.sandbox(region);
    if (!(await (signal === 'SIGSTOP' ? s.stop() : s.cont()))) throw new Error(`netns: not every process of ${region} ${signal === 'SIGSTOP' ? 'stopped' : 'continued'} after ${signal}`);
  }

  /** Runs a command from the region's address (its network namespace only). */
  exec(region: string, command: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return execInNetns(this.net(region).ns, command, args);
  }

  async teardown(): Promise<void> {
    await Promise.all([...this.sandboxes.keys()].map((r) => this.kill(r)));
    this.removeNetworks();
  }

  removeNetworks(): void {
    for (const n of this.nets.values()) removeRegionNetwork(n);
    live.delete(this);
  }
}
