/**
 * A written value as a map key: a finite number by its digits, anything else as its JSON text. The checkers of
 * workloads that write unique values find the write a read shows by this key.
 */
export const valueKey = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? String(v) : JSON.stringify(v) ?? 'null');
