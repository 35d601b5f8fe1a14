import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { CliError, EXIT } from '../../cli/exit-codes.ts';
import { importDefault } from '../../core/config-module.ts';

/**
 * The config of `--target external`: a deployment Rift did not start and does not own. Either JSON, so a deployment
 * tool (a script, Helm, Terraform) can write it without running any of Rift's code, or a module (.ts, .mts, .mjs,
 * .js) whose default export is that same object, typed with `defineExternal` and free to compute it:
 *
 *   { "regions": { "<region>": {
 *       "client":    "host:port",            what clients dial: the region's client proxy
 *       "toxiproxy": "http://host:port",     API of the Toxiproxy beside the region, which holds the proxies of
 *                                            its inbound links: client_<region> and peer_<other>_to_<region>
 *       "commands":  { "kill": "…", "restart": "…", "pause": "…", "resume": "…" }   shell commands
 *   } } }
 *
 * Commands run with `sh -c`, with RIFT_REGION set to the region's name; exit 0 means the fault took effect.
 */

export const COMMANDS = ['kill', 'restart', 'pause', 'resume'] as const;
export type RegionCommand = (typeof COMMANDS)[number];

export interface ExternalRegion {
  client: { host: string; port: number };
  toxiproxy: string;
  commands: Record<RegionCommand, string>;
}

/** The config as written: what a module's default export (or the JSON file) holds. */
export interface ExternalTargetConfig {
  regions: Record<string, { client: string; toxiproxy: string; commands: Record<RegionCommand, string> }>;
  /** Notes: any field whose name starts with "$" is ignored. */
  [note: `$${string}`]: unknown;
}

/** Types an external config module's default export (as defineConfig does for rift.config.ts); it is validated when loaded. */
export function defineExternal(config: ExternalTargetConfig): ExternalTargetConfig {
  return config;
}

export interface ExternalConfig {
  file: string;
  regions: Record<string, ExternalRegion>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const MODULE_EXTENSIONS = ['.ts', '.mts', '.mjs', '.js'];

/** Reads a `--config` file: JSON, or a module whose default export is the config. */
export async function loadExternalConfig(file: string): Promise<ExternalConfig> {
  const ext = extname(file);
  const isModule = MODULE_EXTENSIONS.includes(ext);
  if (!isModule && ext !== '.json') throw new CliError(`--config ${file}: must be a .json file or a module (${MODULE_EXTENSIONS.join(', ')})`, EXIT.usage);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`--config ${file}: cannot read it: ${(e as Error).message}`, EXIT.usage);
  }
  if (isModule) return parseExternalConfig(await importDefault(file, 'export default defineExternal({ regions: {...} })'), file);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${file}: not JSON: ${(e as Error).message}`, EXIT.dataError);
  }
  return parseExternalConfig(raw, file);
}

export function parseExternalConfig(raw: unknown, file: string): ExternalConfig {
  const fail = (field: string, why: string): never => {
    throw new CliError(`${file}: ${field}: ${why}`, EXIT.dataError);
  };
  if (!isObject(raw)) return fail('(top level)', 'must be an object {"regions": {…}}');
  for (const k of Object.keys(raw)) if (k !== 'regions' && !k.startsWith('$')) fail(k, 'unknown field (only "regions", and "$comment"-style notes)');
  if (!isObject(raw.regions) || Object.keys(raw.regions).length === 0) return fail('regions', 'must be an object naming at least one region');
  const regions: Record<string, ExternalRegion> = {};
  for (const [name, r] of Object.entries(raw.regions)) {
    const at = `regions.${name}`;
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) fail(at, 'a region name is lower-case letters, digits and dashes');
    if (!isObject(r)) return fail(at, 'must be an object {client, toxiproxy, commands}');
    for (const k of Object.keys(r)) if (!['client', 'toxiproxy', 'commands'].includes(k)) fail(`${at}.${k}`, 'unknown field');
    const m = typeof r.client === 'string' ? /^([^\s:/]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(r.client) : null;
    const port = m ? Number(m[2]) : 0;
    if (!m || port < 1 || port > 65535) return fail(`${at}.client`, 'must be "host:port"');
    if (typeof r.toxiproxy !== 'string' || !/^https?:\/\/[^\s/]+$/.test(r.toxiproxy)) fail(`${at}.toxiproxy`, 'must be the API base URL, "http://host:port"');
    if (!isObject(r.commands)) return fail(`${at}.commands`, `must be an object with ${COMMANDS.join(', ')}`);
    for (const k of Object.keys(r.commands)) if (!(COMMANDS as readonly string[]).includes(k)) fail(`${at}.commands.${k}`, `unknown command; the commands are ${COMMANDS.join(', ')}`);
    const commands = {} as Record<RegionCommand, string>;
    for (const c of COMMANDS) {
      const v = r.commands[c];
      if (typeof v !== 'string' || v.trim() === '') fail(`${at}.commands.${c}`, 'must be a non-empty shell command');
      commands[c] = v as string;
    }
    regions[name] = { client: { host: m[1].replace(/^\[(.*)\]$/, '$1'), port }, toxiproxy: r.toxiproxy as string, commands };
  }
  return { file, regions };
}
