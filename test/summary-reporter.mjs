// Spec output plus the plain closing line CI reads ("N passed, N failed"); mocha's own summary is not read.
import Mocha from 'mocha';
const { EVENT_RUN_END } = Mocha.Runner.constants;
export default class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats;
      process.stdout.write(`\n${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`);
    });
  }
}
