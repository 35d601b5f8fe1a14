import { strict as assert } from 'node:assert';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanCommand } from '../../harness/cli/clean.ts';
import { cleanResources, readResources } from '../../harness/isolation/netns.ts';
import { netnsUnavailableReason } from '../../harness/isolation/probe.ts';

const HARNESS = fileURLToPath(new URL('./fixtures/netns-harness.ts', import.meta.url));
const netnsMissing = netnsUnavailableReason();

function waitForLine(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d.toString();
      if (out.includes(line)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`harness exited (${code}) before "${line}": ${out}`)));
  });
}

describe('isolation: rift clean after kill -9 of a netns harness', function () {
  this.timeout(90_000);
  let store: string;
  let child: ChildProcess | undefined;
  let resources: string;

  before(function () {
    if (netnsMissing) {
      console.log(`      skipped: ${netnsMissing}`);
      this.skip();
    }
    store = mkdtempSync(join(tmpdir(), 'rift-clean-netns-'));
  });

  after(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    // Whatever the test's outcome, nothing it made may survive it.
    if (resources) cleanResources(resources);
    if (store) rmSync(store, { recursive: true, force: true });
  });

  it('leaves namespaces behind on SIGKILL, and rift clean removes them and their links; a second clean finds nothing', async () => {
    const root = join(store, 'run', '2026-01-01T000000Z');
    mkdirSync(root, { recursive: true });
    resources = join(root, 'netns.jsonl');
    child = spawn(process.execPath, ['--import', 'tsx', HARNESS, root], { stdio: ['ignore', 'pipe', 'inherit'] });
    await waitForLine(child, 'ready');
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    const made = readResources(resources);
    assert.equal(made.length, 2);
    for (const r of made) assert.match(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }), new RegExp(r.ns), `${r.ns} should survive the SIGKILL`);

    const logs: string[] = [];
    const log = console.log;
    console.log = (l: string) => logs.push(l);
    try {
      assert.equal(await cleanCommand(['--store', store]), 0);
      assert.equal(await cleanCommand(['--store', store]), 0);
    } finally {
      console.log = log;
    }
    const namespaces = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    const links = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' });
    for (const r of made) {
      assert.ok(!namespaces.includes(r.ns), `${r.ns} left behind`);
      assert.ok(!links.includes(r.hostIf), `${r.hostIf} left behind`);
    }
    assert.equal(logs.filter((l) => l.startsWith('removed namespace')).length, 2);
    assert.equal(logs.at(-1), 'nothing left behind');
  });
});
