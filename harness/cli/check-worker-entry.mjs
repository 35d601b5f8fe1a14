// Worker threads do not inherit the parent's tsx loader on Node 20: when the CLI runs from the TypeScript
// sources (no compiled build), the worker registers it itself before loading the TypeScript worker module.
import { register } from 'tsx/esm/api';

register();
await import('./check-worker.ts');
