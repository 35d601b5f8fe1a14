import { readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { CliError, EXIT } from './exit-codes.ts';

/** Files a directory or a glob contributes: Rift's JSONL and Jepsen's EDN histories. */
const HISTORY = /\.(jsonl|edn)$/;
/** Rift's own run directories hold this beside history.jsonl; it lists process groups, not operations. */
const NOT_A_HISTORY = new Set(['pids.jsonl']);
const GLOB = /[*?[]/;

const isHistory = (name: string): boolean => HISTORY.test(name) && !NOT_A_HISTORY.has(name);

/** Every history under `dir`, at any depth, in path order; folders starting with a dot are skipped. */
function historiesIn(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!e.name.startsWith('.')) out.push(...historiesIn(p));
    } else if (isHistory(e.name)) {
      out.push(p);
    }
  }
  return out;
}

/** A glob segment as a regular expression: `*` and `?` within one name, `[...]` a character class. */
function segmentRegex(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${segment.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Paths matching a glob; `**` matches any number of folders. Names starting with a dot match only a literal dot. */
function globMatches(pattern: string): string[] {
  const abs = resolve(pattern);
  const parts = abs.split(sep);
  const root = parts.shift() === '' ? sep : '';
  const walk = (base: string, rest: string[]): string[] => {
    if (rest.length === 0) return [base];
    const [head, ...tail] = rest;
    if (!GLOB.test(head)) {
      const next = join(base, head);
      return statSync(next, { throwIfNoEntry: false }) ? walk(next, tail) : [];
    }
    const entries = (() => {
      try {
        return readdirSync(base, { withFileTypes: true });
      } catch {
        return [];
      }
    })().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (head === '**') {
      const here = walk(base, tail);
      const deeper = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).flatMap((e) => walk(join(base, e.name), rest));
      return [...here, ...deeper];
    }
    const re = segmentRegex(head);
    return entries.filter((e) => re.test(e.name) && (!e.name.startsWith('.') || head.startsWith('.'))).flatMap((e) => walk(join(base, e.name), tail));
  };
  return walk(root, parts);
}

/**
 * The history files named on the command line, in order and each once: a directory stands for every history
 * (`*.jsonl`, `*.edn`) below it, a pattern with `*`, `?` or `[` (quoted, so the shell left it alone) for the
 * files it matches, anything else for itself (a missing or unreadable file is then that file's input error).
 * A directory or a pattern that yields nothing is a usage error: the call would check nothing.
 */
export function expandInputs(args: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (p: string): void => {
    if (!seen.has(p)) {
      seen.add(p);
      out.push(p);
    }
  };
  for (const arg of args) {
    const p = resolve(arg);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) {
      const found = historiesIn(p);
      if (found.length === 0) throw new CliError(`${arg}: a directory with no histories (*.jsonl, *.edn) in it`, EXIT.usage);
      found.forEach(add);
    } else if (!st && GLOB.test(arg)) {
      const found = globMatches(arg).filter((f) => !statSync(f, { throwIfNoEntry: false })?.isDirectory());
      if (found.length === 0) throw new CliError(`${arg}: no file matches this pattern`, EXIT.usage);
      found.forEach(add);
    } else {
      add(p);
    }
  }
  return out;
}
