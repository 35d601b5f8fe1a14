import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, EXIT } from './exit-codes.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * parseArgs with usage errors turned into exit 64 and a message naming the flag. A negative number after an
 * option that takes a value is that value (`--time-limit -1`), so the option's own check can name its range
 * instead of parseArgs calling the argument ambiguous.
 */
export function parse<O extends Options>(argv: string[], options: O, allowPositionals = true) {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && i + 1 < argv.length && NEGATIVE_NUMBER.test(argv[i + 1])) {
      args.push(`${argv[i]}=${argv[++i]}`);
    } else {
      args.push(argv[i]);
    }
  }
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (e) {
    throw new CliError(`${(e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '')}`, EXIT.usage);
  }
}

const range = (min: number, max: number): string => (max === Infinity ? `>= ${min}` : `>= ${min} and <= ${max}`);

/** A decimal integer in [min, max]; hex, exponents, fractions and empty strings are refused. */
export function intFlag(name: string, raw: string | undefined, def: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!/^\s*[-+]?\d+\s*$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new CliError(`--${name} must be an integer ${range(min, max === Number.MAX_SAFE_INTEGER ? Infinity : max)} (got "${raw}")`, EXIT.usage);
  }
  return n;
}

export function numberFlag(name: string, raw: string | undefined, def: number, min = 0, max = Infinity): number {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new CliError(`--${name} must be a number ${range(min, max)} (got "${raw}")`, EXIT.usage);
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
