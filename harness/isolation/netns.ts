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
 *
 * The host end of a veth is named after the address block and the region's index in it (`rift<block>x<n>`), so
 * making it is an atomic claim on that /30: a concurrent run that picked the same block fails with LinkTaken and
 * moves on. For the same reason a link is never deleted by name (a later run may own that name): deleting the
 * namespace takes the pair with it.
 */

export class LinkTaken extends Error {}

export interface NetnsRecord {
  /** `ip netns` name. */
  ns: string;
  /** Host end of the veth pair (15 characters at most, the kernel's limit); recorded for messages only. */
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

/** Names of a run's region `index` in address block `block`: `rift-<run>-<region>`, veth ends `rift<block>x|y<index>`. */
export function regionNetworkNames(runId: string, region: string, block: number, index: number): { ns: string; hostIf: string; nsIf: string } {
  if (!/^[0-9a-f]{6}$/.test(runId)) throw new Error(`run id "${runId}" must be 6 hex digits`);
  return { ns: `rift-${runId}-${region}`, hostIf: `rift${block}x${index}`, nsIf: `rift${block}y${index}` };
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
    const why = (err.stderr ?? err.message).trim();
    if (/File exists/.test(why)) throw new LinkTaken(`netns: link ${net.hostIf} exists: another run holds address block of ${net.address.hostSide}`);
    throw new Error(`netns: could not make namespace ${net.ns}: ${why}`);
  }
}

/**
 * Kills whatever still runs in the namespace (a process inside keeps it, and its veth, alive after the name is
 * deleted), deletes the namespace, and waits until the kernel has removed its veth pair. Safe to call for a
 * namespace already gone; returns whether it existed.
 */
export function removeRegionNetwork(r: NetnsRecord): boolean {
  let pids: string[];
  try {
    pids = ip(['netns', 'pids', r.ns]).split(/\s+/).filter(Boolean);
  } catch {
    return false;
  }
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Exited meanwhile.
    }
  }
  const paired = peerNamespace(r.hostIf) === r.ns;
  ipQuiet(['netns', 'del', r.ns]);
  // The kernel dismantles a namespace asynchronously once its last process is gone; wait, so "removed" is true.
  const deadline = Date.now() + 5000;
  while (paired && peerNamespace(r.hostIf) !== undefined && Date.now() < deadline) execFileSync('sleep', ['0.02']);
  return true;
}

/** The namespace holding the other end of veth `name` (as `ip` names it), or undefined when there is no such link. */
function peerNamespace(name: string): string | undefined {
  try {
    return /link-netns (\S+)/.exec(ip(['-o', 'link', 'show', name]))?.[1] ?? '';
  } catch {
    return undefined;
  }
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
    if (typeof r.ns !== 'string' || !r.ns.startsWith('rift-') || typeof r.hostIf !== 'string' || !r.hostIf.startsWith('rift')) {
      throw new Error(`${file}:${i + 1}: not a namespace record (want {"ns":"rift-…","hostIf":"rift…"})`);
    }
    return [{ ns: r.ns, hostIf: r.hostIf }];
  });
}

/** Removes every namespace and link a run recorded; returns those that still existed. */
export function cleanResources(file: string): NetnsRecord[] {
  return readResources(file).filter((r) => removeRegionNetwork(r));
}
