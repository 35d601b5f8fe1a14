import type { LinearizableModel } from '../model.ts';
import { kvModel } from './kv.ts';
import { registerModel } from './register.ts';
import { setModel } from './set.ts';

export type ModelName = 'register' | 'cas-register' | 'kv' | 'set';
export const MODEL_NAMES: readonly ModelName[] = ['register', 'cas-register', 'kv', 'set'];

/** A built-in model by name; `initial` is the value every key starts with (absent when omitted). */
export function namedModel(name: ModelName, initial?: unknown): LinearizableModel<any> {
  switch (name) {
    case 'register':
      return registerModel({ initial });
    case 'cas-register':
      return registerModel({ initial, cas: true });
    case 'kv':
      return kvModel(initial ?? null);
    case 'set':
      if (initial !== undefined && !Array.isArray(initial)) throw new Error(`set model: initial must be an array (got ${JSON.stringify(initial)})`);
      return setModel((initial as unknown[] | undefined) ?? []);
    default:
      throw new Error(`unknown linearizability model ${JSON.stringify(name)} (expected one of ${MODEL_NAMES.join(', ')})`);
  }
}
