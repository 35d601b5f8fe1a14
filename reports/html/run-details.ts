/** The run's command line, options and any other run.json fields, for reproducing the run. */
import type { RunMeta } from '../run-meta.ts';
import { esc } from './escape.ts';
import { jsonTree } from './json-tree.ts';

export function runDetails(run: RunMeta): string {
  let out = '';
  const load = run.extra?.load as { askedRate?: unknown; achievedRate?: unknown; concurrency?: unknown } | undefined;
  if (load && typeof load.askedRate === 'number' && typeof load.achievedRate === 'number') {
    const short = load.achievedRate < 0.9 * load.askedRate;
    out += `<p${short ? ' class="warn"' : ''}>Load: asked ${esc(load.askedRate)} client operations/s, achieved ${esc(load.achievedRate)}${typeof load.concurrency === 'number' ? ` with ${esc(load.concurrency)} clients` : ''}${short ? ' (below the asked rate: the system or the machine set the pace)' : ''}.</p>`;
  }
  if (run.command) out += `<p>Command</p><pre><code>${esc(run.command)}</code></pre>`;
  if (run.options) out += `<p>Options</p>${jsonTree(run.options, { openDepth: 1 })}`;
  if (run.extra && Object.keys(run.extra).length) out += `<p>Other run.json fields</p>${jsonTree(run.extra, { openDepth: 1 })}`;
  return out || `<p class="note">${run.name === undefined && run.target === undefined ? 'No run.json was given.' : 'No command or options were recorded.'}</p>`;
}
