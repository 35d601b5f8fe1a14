import type { Validity } from '../harness/core/checker.ts';

/**
 * The verdict of a checker that counts anomalies by kind: invalid, naming each kind found with its count; else
 * unknown when it judged nothing (`nothing` says why); else valid (`kept` says what held).
 */
export function anomalyVerdict<K extends string>(kinds: readonly K[], counts: Readonly<Record<K, number>>, judged: number, nothing: string, kept: string): { valid: Validity; reason: string } {
  const found = kinds.filter((k) => counts[k] > 0);
  if (found.length) return { valid: false, reason: found.map((k) => `${counts[k]} ${k}`).join(', ') };
  return judged === 0 ? { valid: 'unknown', reason: nothing } : { valid: true, reason: kept };
}
