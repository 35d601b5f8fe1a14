import { UNKNOWN, type Unknown } from '../../../harness/core/model.ts';
import { canonical, type LinearizableModel, type OpInput } from '../model.ts';

/**
 * One key of a key-value store with get/put/append (the checker splits the history per key).
 * The value is a string (append concatenates, as in Porcupine's kv) or a list (append adds one element).
 * State text is tagged: "n" absent, "s" + the string itself, "j" + canonical JSON of any other value, so that
 * the common case, appending to a string, is one concatenation. The state carries a polynomial hash of its text,
 * extended in O(appended length) on append, so long values are never rehashed and compared only when equal.
 * `tag` repeats the text's first character: V8 builds appended text as a rope, and reading a character of a
 * rope can flatten it (copy it whole), which a get must not do just to learn that the value is not a string.
 * (canGrowInto does flatten a string state, but only one no longer than the output it compares it with.)
 */
export interface KvState {
  readonly text: string;
  readonly hash: number;
  readonly tag: 'n' | 's' | 'j';
}

/** Polynomial hash mod 2^32: h(a + b) = h(a)·31^|b| + h(b), so appends extend it without reading `a`. */
function polyHash(s: string, from = 0, h = 0): number {
  for (let i = from; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

const ABSENT: KvState = { text: 'n', hash: polyHash('n'), tag: 'n' };
const STRING_TAG_HASH = polyHash('s');

export function encodeKv(v: unknown): KvState {
  if (v === null || v === undefined) return ABSENT;
  if (typeof v === 'string') return { text: 's' + v, hash: polyHash(v, 0, STRING_TAG_HASH), tag: 's' };
  const text = 'j' + canonical(v);
  return { text, hash: polyHash(text), tag: 'j' };
}

function decodeKv(s: KvState): unknown {
  if (s.tag === 'n') return null;
  return s.tag === 's' ? s.text.slice(1) : JSON.parse(s.text.slice(1));
}

function appendTo(s: KvState, element: unknown): KvState {
  if (typeof element === 'string' && s.tag === 's') return { text: s.text + element, hash: polyHash(element, 0, s.hash), tag: 's' };
  if (typeof element === 'string' && s.tag === 'n') return encodeKv(element);
  const current = decodeKv(s);
  if (current === null) return encodeKv([element]);
  return encodeKv(Array.isArray(current) ? [...current, element] : [current, element]);
}

export function kvModel(initial: unknown = null): LinearizableModel<KvState> {
  const init = encodeKv(initial);
  // A get's output is checked against many states of the same length (the same appends in other orders):
  // comparing hashes first leaves the text itself to the state that matches.
  const outputHashes = new Map<string, number>();
  const matches = (s: KvState, output: unknown): boolean => {
    if (typeof output !== 'string') return encodeKv(output).text === s.text;
    if (s.tag !== 's' || s.text.length !== output.length + 1) return false;
    let h = outputHashes.get(output);
    if (h === undefined) outputHashes.set(output, (h = polyHash(output, 0, STRING_TAG_HASH)));
    return h === s.hash && s.text.endsWith(output);
  };
  // A get's output as state text, for the prefix test of canGrowInto (one native comparison, no hashing in JS).
  const outputTexts = new Map<string, string>();
  const asText = (output: string): string => {
    let text = outputTexts.get(output);
    if (text === undefined) outputTexts.set(output, (text = 's' + output));
    return text;
  };
  return {
    name: 'kv',
    init: () => init,
    step(s: KvState, input: OpInput, output: unknown | Unknown) {
      switch (input.f) {
        case 'get':
          return { ok: output === UNKNOWN || matches(s, output), next: s };
        case 'put':
          return { ok: true, next: encodeKv(input.value) };
        case 'append':
          return { ok: true, next: appendTo(s, input.value) };
        default:
          return { ok: false, next: s };
      }
    },
    equal: (a, b) => a === b || (a.hash === b.hash && a.text === b.text),
    hash: (s) => s.hash,
    isReadOnly: (input) => input.f === 'get',
    // Appends only extend a string (or make a list of it, which no string read matches again); so a read of a
    // string the state is not a prefix of, or a read of absent once the key holds something, can follow only a put.
    grows: (input) => input.f === 'append',
    canGrowInto(s: KvState, _input: OpInput, output: unknown) {
      if (output === null) return s.tag === 'n';
      if (typeof output !== 'string' || s.tag === 'n') return true;
      if (s.tag === 'j') return false;
      return s.text.length <= output.length + 1 && asText(output).startsWith(s.text);
    },
    checkOp(input) {
      if (input.f === 'get' || input.f === 'put' || input.f === 'append') return undefined;
      return `f ${JSON.stringify(input.f)} is not an operation of the kv model (expected get, put, append)`;
    },
    describeState: (s) => (s.tag === 'n' ? 'absent' : canonical(decodeKv(s))),
  };
}
