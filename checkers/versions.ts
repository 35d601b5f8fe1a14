import type { OpPair } from '../harness/core/op.ts';

/** The version token a completed operation reports (`meta.version`), ordered as writes win; absent when none. */
export function versionOf(p: OpPair): string | undefined {
  const v = p.complete?.meta?.version;
  return typeof v === 'string' ? v : undefined;
}

/**
 * A hybrid-logical-clock version token, `wall.logical.origin!seq` (layer/coordinator), as comparable parts; `dot` is
 * `origin!seq`, the write's identity (undefined when the token carries no sequence).
 */
export interface Hlc { wall: number; logical: number; origin: string; dot: string | undefined; text: string }

const HLC_VERSION = /^(\d+)\.(\d+)\.([^!]+)!(\d+)?/;

/** The parts of an HLC version token; undefined for other tokens (the critical tier's `c.N`, other targets'). */
export function parseHlc(version: string): Hlc | undefined {
  const m = HLC_VERSION.exec(version);
  return m ? { wall: Number(m[1]), logical: Number(m[2]), origin: m[3], dot: m[4] === undefined ? undefined : `${m[3]}!${Number(m[4])}`, text: version } : undefined;
}
