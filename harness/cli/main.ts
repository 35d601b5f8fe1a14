import { CliError, EXIT } from './exit-codes.ts';
import { HistoryFormatError } from '../history/reader.ts';
import { installCleanup } from '../process/spawn.ts';

const USAGE = `rift — chaos and consistency testing for multi-region data layers

Usage:
  rift run   [options]                 deploy a target, run a workload under faults, check, report
  rift check HISTORY [options]         re-check a history.jsonl (or Jepsen history.edn) offline
  rift report RUN_DIR | HISTORY        re-render report.html / junit.xml from a run directory or any history file
  rift clean [--store DIR]             kill processes a crashed run left behind
  rift help                            this text

Run 'rift run --help' or 'rift check --help' for their options.

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
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof CliError) {
    console.error(`rift: ${e.message}`);
    process.exitCode = e.exitCode;
  } else if (e instanceof HistoryFormatError) {
    console.error(`rift: bad history: ${e.message}`);
    process.exitCode = EXIT.dataError;
  } else {
    console.error(`rift: internal error: ${(e as Error)?.stack ?? String(e)}`);
    process.exitCode = EXIT.internal;
  }
}
// Worker threads, keep-alive sockets and timers of a finished run must not keep the CLI alive; the exit
// handler of harness/process/spawn.ts still reaps every child group on the way out.
process.exit();
