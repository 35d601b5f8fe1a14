// npm test runs the example project's own test (examples/kv-store), which uses Rift only through `import … from 'rift'`.
import '../../examples/kv-store/kv-store.test.ts';
