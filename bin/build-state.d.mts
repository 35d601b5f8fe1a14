/** Types of build-state.mjs, which bin/rift.mjs runs as plain JavaScript before anything is compiled. */
export type BuildState = { fresh: true } | { fresh: false; why: string };
/** Each compiled source's [mtimeMs, size], by path from the root. */
export type SourceStamps = Record<string, [number, number]>;
export function buildState(root: string): BuildState;
export function sourceStamps(root: string): SourceStamps;
export function writeManifest(dir: string, stamps: SourceStamps): void;
