// Worker threads do not inherit the parent's `--import tsx` loader on Node 20, so the worker registers it
// itself before loading the TypeScript worker module.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
