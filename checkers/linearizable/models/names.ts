/** The built-in models' names, apart from the models themselves: usage text and flag checks need only these. */
export type ModelName = 'register' | 'cas-register' | 'kv' | 'set' | 'mutex' | 'multi-register';
export const MODEL_NAMES: readonly ModelName[] = ['register', 'cas-register', 'kv', 'set', 'mutex', 'multi-register'];
