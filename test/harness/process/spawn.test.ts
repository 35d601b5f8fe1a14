import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { liveGroups } from '../../../harness/process/groups.ts';
import { groupAlive, processAlive, readPidFile, reapPidFile, spawnGroup, type ProcessGroup } from '../../../harness/process/spawn.ts';

/** kill(pid, 0) succeeds on zombies too; a zombie has exited and is not a survivor. */
const alive = processAlive;

const until = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('process/spawn', () => {
  let dir: string;
  const started: ProcessGroup[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rift-spawn-'));
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((g) => g.stop(200)));
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes output to the log file and reports the exit', async () => {
    const g = spawnGroup({ name: 'echo', command: 'sh', args: ['-c', 'echo hello; echo oops >&2; exit 3'], logFile: join(dir, 'echo.log') });
    started.push(g);
    const st = await g.exited;
    assert.equal(st.code, 3);
    assert.equal(readFileSync(g.logFile, 'utf8'), 'hello\noops\n');
    assert.equal(g.running, false);
  });

  it('kills every process of the group, including forked grandchildren', async () => {
    const pidsFile = join(dir, 'inner.pid');
    const g = spawnGroup({
      name: 'forker', command: 'sh', args: ['-c', `sleep 60 & echo $! > ${pidsFile}; sleep 60`], logFile: join(dir, 'f.log'),
    });
    started.push(g);
    await until(() => { try { return readFileSync(pidsFile, 'utf8').trim() !== ''; } catch { return false; } });
    const grandchild = Number(readFileSync(pidsFile, 'utf8').trim());
    assert.ok(alive(grandchild));
    assert.ok(liveGroups().some((x) => x.pgid === g.pid));
    g.kill('SIGKILL');
    await g.exited;
    await until(() => !alive(grandchild));
    // One SIGKILL reaches every member at once, but each exits on its own time: a member still tearing down is not
    // a zombie yet. A survivor keeps the group alive past the bound and fails here.
    await until(() => !groupAlive(g.pid));
  });

  it('stop() escalates to SIGKILL when SIGTERM is ignored', async () => {
    const g = spawnGroup({ name: 'stubborn', command: 'sh', args: ['-c', "trap '' TERM; echo up; while true; do sleep 0.05; done"], logFile: join(dir, 's.log') });
    started.push(g);
    await until(() => readFileSync(g.logFile, 'utf8').includes('up'));
    const st = await g.stop(100);
    assert.equal(st.signal, 'SIGKILL');
    assert.equal(groupAlive(g.pid), false);
    assert.ok(!liveGroups().some((x) => x.pgid === g.pid));
  });

  it('await using stops the group at the end of the scope', async () => {
    let pid = 0;
    {
      await using g = spawnGroup({ name: 'scoped', command: 'sleep', args: ['60'], logFile: join(dir, 'u.log') });
      pid = g.pid;
      assert.ok(alive(pid));
    }
    assert.equal(groupAlive(pid), false);
  });

  it('records groups in the pid file and reaps the live ones only', async () => {
    const pidFile = join(dir, 'pids.jsonl');
    const a = spawnGroup({ name: 'a', command: 'sleep', args: ['60'], logFile: join(dir, 'a.log'), pidFile });
    const b = spawnGroup({ name: 'b', command: 'sleep', args: ['60'], logFile: join(dir, 'b.log'), pidFile });
    started.push(a, b);
    await b.stop(100);
    const records = readPidFile(pidFile);
    assert.deepEqual(records.map((r) => [r.name, r.pgid]), [['a', a.pid], ['b', b.pid]]);
    assert.ok(records[0].startTime !== null);
    const reaped = reapPidFile(pidFile);
    assert.deepEqual(reaped.map((r) => r.name), ['a']);
    await a.exited;
    assert.equal(groupAlive(a.pid), false);
  });

  it('does not kill a process whose pid was recorded with another start time', async () => {
    const pidFile = join(dir, 'pids.jsonl');
    const g = spawnGroup({ name: 'victim', command: 'sleep', args: ['60'], logFile: join(dir, 'v.log'), pidFile });
    started.push(g);
    const forged = readFileSync(pidFile, 'utf8').replace(/"startTime":"\d+"/, '"startTime":"1"');
    const other = join(dir, 'forged.jsonl');
    writeFileSync(other, forged);
    assert.deepEqual(reapPidFile(other), []);
    assert.ok(alive(g.pid));
  });

  it('names the file and line of a corrupt pid file', () => {
    const pidFile = join(dir, 'bad.jsonl');
    writeFileSync(pidFile, '{"name":"x","pgid":123,"startTime":null,"command":"c"}\nnot json\n');
    assert.throws(() => readPidFile(pidFile), new RegExp(`${pidFile.replace(/[.]/g, '\\.')}:2: not a pid record`));
  });

  it('fails clearly for a missing binary', () => {
    assert.throws(
      () => spawnGroup({ name: 'ghost', command: join(dir, 'no-such-binary'), args: [], logFile: join(dir, 'g.log') }),
      /could not start ghost: .*no-such-binary is missing or not executable/,
    );
  });
});

