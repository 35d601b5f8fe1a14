import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, EXIT } from './exit-codes.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with usage errors turned into exit 64 and a message naming the flag. */
export function parse<O extends Options>(argv: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (e) {
    throw new CliError(`${(e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '')}`, EXIT.usage);
  }
}

export function intFlag(name: string, raw: string | undefined, def: number, min = 0): number {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new CliError(`--${name} must be an integer >= ${min} (got "${raw}")`, EXIT.usage);
  return n;
}

export function numberFlag(name: string, raw: string | undefined, def: number, min = 0): number {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new CliError(`--${name} must be a number >= ${min} (got "${raw}")`, EXIT.usage);
  return n;
}

export const listFlag = (raw: string | undefined, def: string[]): string[] =>
  raw === undefined ? def : raw.split(',').map((s) => s.trim()).filter((s) => s !== '');

export function oneOf<T extends string>(name: string, raw: string | undefined, allowed: readonly T[], def: T): T {
  if (raw === undefined) return def;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new CliError(`--${name} must be one of ${allowed.join(', ')} (got "${raw}")`, EXIT.usage);
  }
  return raw as T;
}
