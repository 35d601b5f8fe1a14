import { CliError, EXIT, exitForError } from './exit-codes.ts';
import { installCleanup } from '../process/groups.ts';
import { stopWhenOrphaned } from '../process/orphan-watch.ts';

const USAGE = `rift — chaos and consistency testing for multi-region data layers

Usage:
  rift run   [options]                 deploy a target, run a workload under faults, check, report
  rift check HISTORY... [options]      re-check history.jsonl (or Jepsen history.edn) files offline
  rift report RUN_DIR | HISTORY        re-render report.html / junit.xml from a run directory or any history file
  rift clean [--store DIR]             kill processes a crashed run left behind
  rift suite NAME [options]            run a suite of rift.config.ts and judge its gates ('rift suite --help')
  rift diff RUN_A RUN_B [--out F.html] what changed between two runs: spec, verdicts, figures
  rift prune --keep N | --keep-days D  remove old passing runs from the store (failing ones are kept)
  rift serve [--store DIR] [--port N]  serve the store (index, reports, trends) on 127.0.0.1
  rift help                            this text

The store's index.html (every run, filters, trends, compare) is regenerated after each run, suite and prune.
Run 'rift COMMAND --help' (run, check, report, clean, suite, diff, prune, serve) for its options.

Exit codes: 0 valid, 1 anomalies found, 2 unknown (a budget ran out), 64 usage error,
65 bad input data, 70 internal or infrastructure failure.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return (await import('./run.ts')).runCommand(rest);
    case 'check':
      return (await import('./check.ts')).checkCommand(rest);
    case 'report':
      return (await import('./report.ts')).reportCommand(rest);
    case 'clean':
      return (await import('./clean.ts')).cleanCommand(rest);
    case 'suite':
      return (await import('./suite.ts')).suiteCommand(rest);
    case 'diff':
      return (await import('./diff.ts')).diffCommand(rest);
    case 'prune':
      return (await import('./prune.ts')).pruneCommand(rest);
    case 'serve':
      return (await import('./serve.ts')).serveCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return command === undefined ? EXIT.usage : EXIT.valid;
    default:
      throw new CliError(`unknown command "${command}"\n\n${USAGE}`, EXIT.usage);
  }
}

// A stray error anywhere (a rejected promise in a client, a crashed fault) must still take every child group down.
installCleanup({ uncaught: true });
// Started by npm (npx, npm start), rift may sit below wrappers that exit on SIGTERM without passing it on.
// Only then: a run started with nohup or `&` from a shell is meant to outlive that shell.
if (process.env.npm_command !== undefined) stopWhenOrphaned();
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  const { code, message } = exitForError(e);
  console.error(message);
  process.exitCode = code;
}
// Worker threads, keep-alive sockets and timers of a finished run must not keep the CLI alive; the exit
// handler of harness/process/spawn.ts still reaps every child group on the way out.
process.exit();
