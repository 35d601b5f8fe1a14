/** Types of build-state.mjs, which bin/rift.mjs runs as plain JavaScript before anything is compiled. */
export type BuildState = { fresh: true } | { fresh: false; why: string };
export function buildState(root: string): BuildState;
