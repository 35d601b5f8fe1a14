#!/usr/bin/env node
// Entry point for the `rift` bin. Runs the JavaScript bundled into dist/ by scripts/build.sh (which
// scripts/setup.sh, `npm start` and `npm test` run), so start-up transpiles nothing. When dist/ is missing or a
// source file changed since it was built, it runs the TypeScript through tsx instead and says so: an edited
// source is never silently ignored, and a checkout that was never built still works, only slower to start.
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { buildState } from './build-state.mjs';

// A call of rift is short, and V8's optimizing compiler on its default schedule spent a third of the CPU time of
// `rift check` on Porcupine's kv files compiling code the call ended before it paid back. Eight times Node 20's
// interrupt budget (67,584 bytes of bytecode run) leaves optimizing to code that keeps running: a long check or run
// starts its optimized code a little later, and nothing else changes.
setFlagsFromString('--interrupt-budget=540672');

const state = buildState(fileURLToPath(new URL('..', import.meta.url)));
if (state.fresh) {
  await import('../dist/cli/main.js');
} else {
  process.stderr.write(`rift: ${state.why}; running the TypeScript sources through tsx, which starts slower. Rebuild with \`npm run build\`.\n`);
  const { register } = await import('tsx/esm/api');
  register();
  await import('../harness/cli/main.ts');
}
