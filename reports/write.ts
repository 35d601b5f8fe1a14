/**
 * Writes a run's reports into its run directory: report.html, results.json and junit.xml (the names
 * harness/store/run-dir.ts gives them). Each file is written whole or not at all.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { renderReport, type RenderOptions, type ReportInput } from './html/page.ts';
import { resultsJson, writeAtomically } from './json.ts';
import { renderJUnit, type JUnitOptions } from './junit.ts';

export interface ReportPaths {
  html: string;
  json: string;
  junit: string;
}

export interface WriteOptions extends RenderOptions, JUnitOptions {}

export async function writeReports(runDir: string, input: ReportInput, opts: WriteOptions = {}): Promise<ReportPaths> {
  const dir = await stat(runDir).catch(() => undefined);
  if (!dir?.isDirectory()) throw new Error(`writeReports: run directory ${runDir} does not exist`);
  const paths: ReportPaths = { html: join(runDir, 'report.html'), json: join(runDir, 'results.json'), junit: join(runDir, 'junit.xml') };
  // results.json first: it is the record; the HTML and XML are views of it.
  await writeAtomically(paths.json, resultsJson(input.results));
  await writeAtomically(paths.junit, renderJUnit(input, opts));
  await writeAtomically(paths.html, renderReport(input, opts));
  return paths;
}
