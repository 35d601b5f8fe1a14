import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RegionAddress } from './addresses.ts';

/**
 * A region's network namespace and the veth pair that links it to the host, made with `ip`. The namespace has
 * only its loopback and its /30 (no default route), so from inside it the only reachable address off the region
 * is the host end of its own veth, where Toxiproxy listens: every other region, and every host service, is out
 * of reach whatever IP forwarding is set to.
 *
 * Each namespace is appended to the run's resources file before it is made, so `rift clean` removes it even
 * when the harness died with SIGKILL half way through setup.
 */

export interface NetnsRecord {
  /** `ip netns` name. */
  ns: string;
  /** Host end of the veth pair (15 characters at most, the kernel's limit). */
  hostIf: string;
}

export interface RegionNetwork extends NetnsRecord {
  nsIf: string;
  address: RegionAddress;
}

const ip = (args: readonly string[]): string => execFileSync('ip', [...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function ipQuiet(args: readonly string[]): void {
  try {
    ip(args);
  } catch {
    // Removal of something already gone: teardown is idempotent by design.
  }
}

/** Names of a run's region `index`: `rift-<run>-<region>` and veth ends `rf<run><index>h|n`. */
export function regionNetworkNames(runId: string, region: string, index: number): { ns: string; hostIf: string; nsIf: string } {
  if (!/^[0-9a-f]{6}$/.test(runId)) throw new Error(`run id "${runId}" must be 6 hex digits`);
  return { ns: `rift-${runId}-${region}`, hostIf: `rf${runId}${index}h`, nsIf: `rf${runId}${index}n` };
}

export function createRegionNetwork(net: RegionNetwork, resourcesFile: string): void {
  mkdirSync(dirname(resourcesFile), { recursive: true });
  appendFileSync(resourcesFile, JSON.stringify({ ns: net.ns, hostIf: net.hostIf } satisfies NetnsRecord) + '\n');
  removeRegionNetwork(net);
  try {
    ip(['netns', 'add', net.ns]);
    ip(['link', 'add', net.hostIf, 'type', 'veth', 'peer', 'name', net.nsIf, 'netns', net.ns]);
    ip(['addr', 'add', `${net.address.hostSide}/30`, 'dev', net.hostIf]);
    ip(['link', 'set', net.hostIf, 'up']);
    ip(['-n', net.ns, 'addr', 'add', `${net.address.inside}/30`, 'dev', net.nsIf]);
    ip(['-n', net.ns, 'link', 'set', net.nsIf, 'up']);
    ip(['-n', net.ns, 'link', 'set', 'lo', 'up']);
  } catch (e) {
    removeRegionNetwork(net);
    const err = e as { stderr?: string; message: string };
    throw new Error(`netns: could not make namespace ${net.ns}: ${(err.stderr ?? err.message).trim()}`);
  }
}

/**
 * Kills whatever still runs in the namespace (a process inside keeps it, and its veth, alive after the name is
 * deleted), then deletes the namespace and the host end of the link. Safe to call for things already gone.
 */
export function removeRegionNetwork(r: NetnsRecord): boolean {
  let existed = false;
  try {
    for (const pid of ip(['netns', 'pids', r.ns]).split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Exited meanwhile.
      }
    }
    existed = true;
  } catch {
    // No such namespace.
  }
  ipQuiet(['netns', 'del', r.ns]);
  try {
    ip(['link', 'del', r.hostIf]);
    existed = true;
  } catch {
    // Deleting the namespace already took the pair with it.
  }
  return existed;
}

export function readResources(file: string): NetnsRecord[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return text.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    const r = JSON.parse(line) as Partial<NetnsRecord>;
    if (typeof r.ns !== 'string' || !r.ns.startsWith('rift-') || typeof r.hostIf !== 'string' || !r.hostIf.startsWith('rf')) {
      throw new Error(`${file}:${i + 1}: not a namespace record (want {"ns":"rift-…","hostIf":"rf…"})`);
    }
    return [{ ns: r.ns, hostIf: r.hostIf }];
  });
}

/** Removes every namespace and link a run recorded; returns those that still existed. */
export function cleanResources(file: string): NetnsRecord[] {
  return readResources(file).filter((r) => removeRegionNetwork(r));
}
