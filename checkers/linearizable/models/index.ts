import type { LinearizableModel } from '../model.ts';
import { kvModel } from './kv.ts';
import { multiRegisterModel } from './multi-register.ts';
import { mutexModel } from './mutex.ts';
import { registerModel } from './register.ts';
import { setModel } from './set.ts';
import { MODEL_NAMES, type ModelName } from './names.ts';

export { MODEL_NAMES, type ModelName } from './names.ts';

/** A model name or initial value the caller chose wrongly: a usage error, not a checker crash. */
export class ModelOptionError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'ModelOptionError';
  }
}

export const isModelName = (name: unknown): name is ModelName => typeof name === 'string' && (MODEL_NAMES as readonly string[]).includes(name);

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
      if (initial !== undefined && !Array.isArray(initial)) throw new ModelOptionError(`set model: initial must be an array (got ${JSON.stringify(initial)})`);
      return setModel((initial as unknown[] | undefined) ?? []);
    case 'mutex':
      if (initial !== undefined && typeof initial !== 'boolean') throw new ModelOptionError(`mutex model: initial must be true (held) or false (free) (got ${JSON.stringify(initial)})`);
      return mutexModel(initial ?? false);
    case 'multi-register':
      try {
        return multiRegisterModel({ initial });
      } catch (e) {
        throw new ModelOptionError((e as Error).message);
      }
    default:
      throw new ModelOptionError(`unknown linearizability model ${JSON.stringify(name)} (expected one of ${MODEL_NAMES.join(', ')})`);
  }
}
