import type { OpInput } from './model.ts';
import type { Partition } from './prepare.ts';
import type { SearchOp } from './search-op.ts';

/**
 * Partitions laid out in columns for a worker thread. postMessage clones an object graph field by field, and one
 * object per op (with its input object) took milliseconds for a few thousand ops, as long as checking them;
 * numbers in typed arrays, names as indexes into a table, and values in flat arrays clone several times faster.
 */
export interface PackedPartitions {
  keys: string[];
  sizes: Int32Array;
  /** Per op: line, call, ret, completeLine (NaN when there is none). */
  numbers: Float64Array;
  unknown: Uint8Array;
  /** The distinct f and key strings; ops refer to them by index. */
  names: string[];
  f: Int32Array;
  /** Index of the input's key in `names`, or -1 when the input has no key. */
  key: Int32Array;
  values: unknown[];
  outputs: unknown[];
}

export function packPartitions(parts: readonly Partition[]): PackedPartitions {
  const total = parts.reduce((s, p) => s + p.ops.length, 0);
  const nameIds = new Map<string, number>();
  const names: string[] = [];
  const nameId = (s: string): number => {
    let id = nameIds.get(s);
    if (id === undefined) nameIds.set(s, (id = names.push(s) - 1));
    return id;
  };
  const packed: PackedPartitions = {
    keys: parts.map((p) => p.key),
    sizes: Int32Array.from(parts, (p) => p.ops.length),
    numbers: new Float64Array(4 * total),
    unknown: new Uint8Array(total),
    names,
    f: new Int32Array(total),
    key: new Int32Array(total),
    values: new Array(total),
    outputs: new Array(total),
  };
  let i = 0;
  for (const p of parts) {
    for (const op of p.ops) {
      packed.numbers[4 * i] = op.line;
      packed.numbers[4 * i + 1] = op.call;
      packed.numbers[4 * i + 2] = op.ret;
      packed.numbers[4 * i + 3] = op.completeLine ?? NaN;
      packed.unknown[i] = op.unknown ? 1 : 0;
      packed.f[i] = nameId(op.input.f);
      packed.key[i] = op.input.key === undefined ? -1 : nameId(op.input.key);
      packed.values[i] = op.input.value;
      packed.outputs[i] = op.output;
      i++;
    }
  }
  return packed;
}

export function unpackPartitions(packed: PackedPartitions): Partition[] {
  const { names, numbers } = packed;
  const parts: Partition[] = [];
  let i = 0;
  packed.keys.forEach((key, at) => {
    const ops: SearchOp[] = new Array(packed.sizes[at]);
    for (let j = 0; j < ops.length; j++, i++) {
      const f = names[packed.f[i]];
      const input: OpInput = packed.key[i] < 0 ? { f, value: packed.values[i] } : { f, key: names[packed.key[i]], value: packed.values[i] };
      const op: SearchOp = { line: numbers[4 * i], call: numbers[4 * i + 1], ret: numbers[4 * i + 2], input, output: packed.outputs[i], unknown: packed.unknown[i] === 1 };
      if (!Number.isNaN(numbers[4 * i + 3])) op.completeLine = numbers[4 * i + 3];
      ops[j] = op;
    }
    parts.push({ key, ops });
  });
  return parts;
}
