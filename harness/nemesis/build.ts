import type { Generator } from '../core/generator.ts';
import type { Nemesis } from '../core/nemesis.ts';
import type { Target } from '../core/target.ts';
import { nemesisPackage } from './package.ts';

/**
 * The runner's entry point: a nemesis package from a run spec's fields, or undefined for a run without
 * faults. Seconds in, as in the run spec; see package.ts for what the parts do.
 */
export function buildNemesis(opts: {
  target: Target;
  faults: readonly string[];
  seed: number;
  intervalS: number;
  regions: readonly string[];
}): { nemesis: Nemesis; generator: Generator; finalGenerator: Generator } | undefined {
  if (opts.faults.length === 0) return undefined;
  const pkg = nemesisPackage({ faults: opts.faults, target: opts.target, regions: opts.regions, seed: opts.seed, intervalMs: opts.intervalS * 1000 });
  return { nemesis: pkg.nemesis, generator: pkg.generator, finalGenerator: pkg.finalGenerator };
}
