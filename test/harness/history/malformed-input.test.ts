import { strict as assert } from 'node:assert';
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { isClientOp } from '../../../harness/core/op.ts';
import { parseEdnHistory } from '../../../harness/history/edn.ts';
import { decodeUtf8 } from '../../../harness/history/input-file.ts';
import { parseHistory } from '../../../harness/history/reader.ts';
import { checkInProcess, type CheckRun } from './in-process-check.ts';

/**
 * Generated broken histories, JSONL and EDN, through `rift check`: in-process for speed (the same checkCommand and
 * exit mapping as bin/rift), and a few through the real CLI. Whatever the damage, the answer is a documented exit
 * code with a one-line message naming the file (and line), never a stack trace or a crash verdict, and a history
 * without client operations is never VALID.
 */

type Ev = Record<string, unknown>;
const RUNS = 600;
/** Fixed so that a failure replays; RIFT_FUZZ_SEED explores other inputs. */
const SEED = Number(process.env.RIFT_FUZZ_SEED ?? 20261207);
const DOCUMENTED = new Set([0, 1, 2, 65]);

/** A well-formed history: processes invoke and complete in some interleaving. */
const baseHistory = fc.array(fc.record({ p: fc.integer({ min: 0, max: 2 }), f: fc.constantFrom('read', 'write', 'cas'), v: fc.integer({ min: 0, max: 3 }), end: fc.constantFrom('ok', 'ok', 'fail', 'info') }), { maxLength: 10 }).map((cmds) => {
  const evs: Ev[] = [];
  const open = new Map<number, Ev>();
  let t = 0;
  for (const c of cmds) {
    const inv = open.get(c.p);
    if (inv) {
      open.delete(c.p);
      const value = inv.f === 'read' ? c.v : inv.f === 'cas' ? (c.end === 'ok' ? true : inv.value) : inv.value;
      evs.push({ type: c.end, process: c.p, f: inv.f, key: 'x', value, time: (t += 10) });
    } else {
      const e: Ev = { type: 'invoke', process: c.p, f: c.f, key: 'x', value: c.f === 'read' ? null : c.f === 'cas' ? [c.v, c.v + 1] : c.v, time: (t += 10) };
      open.set(c.p, e);
      evs.push(e);
    }
  }
  return evs;
});

const weird = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom<unknown>(-1, 1.5, 'x', null, [], {}, [1], [1, 2, 3], 'nemesis', '', true, 1e300));
/** A value nested `n` deep, as a marker the writers expand into text (JSON.stringify itself overflows at 10k). */
const deep = (n: number): unknown => ({ deepMarker: n });
const expandDeep = (text: string): string => text.replace(/\{"deepMarker":(\d+)\}/g, (_, n) => '['.repeat(+n) + '1' + ']'.repeat(+n));

/** Damage done to the events before they are written. */
const eventDamage = fc.oneof(
  fc.record({ kind: fc.constant('drop-field' as const), at: fc.nat(), field: fc.constantFrom('type', 'process', 'f', 'time', 'value', 'key') }),
  fc.record({ kind: fc.constant('set-field' as const), at: fc.nat(), field: fc.constantFrom('type', 'process', 'f', 'time', 'value', 'key', 'meta', 'error'), value: weird }),
  fc.record({ kind: fc.constant('unknown-f' as const), at: fc.nat(), f: fc.constantFrom('frob', 'add', 'txn', 'READ', 'append') }),
  fc.record({ kind: fc.constant('cas-not-pair' as const), at: fc.nat(), value: weird }),
  fc.record({ kind: fc.constant('drop-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant('all-nemesis' as const) }),
  fc.record({ kind: fc.constant('deep' as const), at: fc.nat(), depth: fc.constantFrom(101, 500, 10_000) }),
  fc.record({ kind: fc.constant('time-backwards' as const), at: fc.nat() }),
);

function damageEvents(evs: Ev[], d: Record<string, unknown> & { kind: string }): Ev[] {
  const out = evs.map((e) => ({ ...e }));
  if (out.length === 0) return out;
  const i = (d.at as number | undefined ?? 0) % out.length;
  switch (d.kind) {
    case 'drop-field': delete out[i][d.field as string]; break;
    case 'set-field': out[i][d.field as string] = d.value; break;
    case 'unknown-f': out[i].f = d.f; break;
    case 'cas-not-pair': out[i].f = 'cas'; out[i].value = d.value; break;
    case 'drop-line': out.splice(i, 1); break;
    case 'duplicate-line': out.splice(i, 0, { ...out[i] }); break;
    case 'swap-lines': { const j = (d.with as number) % out.length; [out[i], out[j]] = [out[j], out[i]]; break; }
    case 'all-nemesis': for (const e of out) e.process = 'nemesis'; break;
    case 'deep': out[i].value = deep(d.depth as number); break;
    case 'time-backwards': out[i].time = -5; break;
  }
  return out;
}

/** Damage done to the bytes of the written file. */
const byteDamage = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.record({ kind: fc.constant('cut-middle' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.constantFrom(
    [0xff], [0xc3], [0xed, 0xa0, 0x80], [0x0a, 0x0a], [0x7b], [0x5d], [0x22], [0x00], [0x23, 0x66, 0x6f, 0x6f, 0x20],
  ) }),
  fc.record({ kind: fc.constant('replace-all' as const), bytes: fc.uint8Array({ maxLength: 64 }) }),
  fc.record({ kind: fc.constant('insert-text' as const), at: fc.nat(), text: fc.constantFrom(
    '#inst "bogus"', '#inst 3', '#my/tag 1', '##NaN', '1/2', '0x10', '"open', '#_', '}', ')', ':', '#{', '::k', '#uuid "x"',
    '['.repeat(20_000), '\\', 'nil', ' [:anti 3] ', '{:type :ok}', '\ud800',
  ) }),
);

function damageBytes(buf: Buffer, d: { kind: string; at?: number; bytes?: readonly number[] | Uint8Array; text?: string }): Buffer {
  const at = buf.length === 0 ? 0 : (d.at ?? 0) % buf.length;
  switch (d.kind) {
    case 'cut-middle': return Buffer.concat([buf.subarray(0, at), buf.subarray(Math.min(buf.length, at + 7))]);
    case 'insert': return Buffer.concat([buf.subarray(0, at), Buffer.from(d.bytes as number[]), buf.subarray(at)]);
    case 'replace-all': return Buffer.from(d.bytes as Uint8Array);
    case 'insert-text': return Buffer.concat([buf.subarray(0, at), Buffer.from(d.text!, 'utf8'), buf.subarray(at)]);
    default: return buf;
  }
}

/** EDN as Jepsen writes it, keywords for keys, types and fs; values printed as EDN data. */
function ednValue(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return '[' + v.map(ednValue).join(' ') + ']';
  if (typeof (v as { deepMarker?: number }).deepMarker === 'number') return expandDeep(JSON.stringify(v));
  return '{' + Object.entries(v as object).map(([k, x]) => `:${k || 'k'} ${ednValue(x)}`).join(', ') + '}';
}
const ednLine = (e: Ev): string => '{' + Object.entries(e).map(([k, v]) => {
  const kw = (k === 'type' || k === 'f' || (k === 'process' && v === 'nemesis')) && typeof v === 'string' && /^[a-zA-Z][\w-]*$/.test(v);
  return `:${k} ${kw ? ':' + (v as string) : ednValue(v)}`;
}).join(', ') + '}';

const shapes = fc.constantFrom('lines', 'vector', 'list', 'completions-only');

function writeCase(format: 'jsonl' | 'edn', evs: Ev[], shape: string): Buffer {
  if (format === 'jsonl') return Buffer.from(evs.map((e) => expandDeep(JSON.stringify(e))).join('\n') + (evs.length ? '\n' : ''));
  const kept = shape === 'completions-only' ? evs.filter((e) => e.type !== 'invoke').map((e) => { const { process: _p, ...rest } = e; return rest; }) : evs;
  const lines = kept.map(ednLine);
  if (shape === 'vector') return Buffer.from('[' + lines.join('\n ') + ']\n');
  if (shape === 'list') return Buffer.from('(' + lines.join('\n ') + ')\n');
  return Buffer.from(lines.join('\n') + '\n');
}

/** Client operations in a file, read the way the CLI reads it; undefined when the file is not a history at all. */
function clientOps(bytes: Buffer, format: 'jsonl' | 'edn'): number | undefined {
  try {
    const text = decodeUtf8(bytes, 'f');
    const { ops } = format === 'edn' ? parseEdnHistory(text, 'f') : parseHistory(text, 'f');
    return ops.filter(isClientOp).length;
  } catch {
    return undefined;
  }
}

function assertAnswer(r: CheckRun, file: string, bytes: Buffer, format: 'jsonl' | 'edn'): void {
  const all = r.out + '\n' + r.err;
  const info = `${file}\n--- input ---\n${bytes.toString('utf8').slice(0, 400)}\n--- output ---\n${all.slice(0, 800)}`;
  assert.ok(DOCUMENTED.has(r.code), `exit ${r.code} is not one of 0, 1, 2, 65\n${info}`);
  assert.doesNotMatch(all, /\n\s+at .*:\d+:\d+\)?$/m, `stack trace\n${info}`);
  assert.doesNotMatch(all, /checker crashed|internal error|undefined|\[object Object\]/, `crash or an unrendered value in the message\n${info}`);
  if (r.code === 65) {
    const esc = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    assert.match(r.err, new RegExp(`^rift: bad history: ${esc}(:[1-9]\\d*)?: \\S`, 'm'), `message shape\n${info}`);
  }
  if (r.code === 0) assert.ok((clientOps(bytes, format) ?? 0) > 0, `VALID without client operations\n${info}`);
}

describe('rift check on generated malformed histories (fast-check, seeded)', function () {
  this.timeout(600_000);
  let dir: string;
  let n = 0;
  const seen = { jsonl: 0, edn: 0, codes: new Map<number, number>() };
  before(() => { dir = mkdtempSync(join(tmpdir(), 'rift-fuzz-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const format of ['jsonl', 'edn'] as const) {
    it(`${RUNS} broken ${format} histories: documented exit codes, messages naming file and line, no VALID without client ops`, async () => {
      await fc.assert(
        fc.asyncProperty(baseHistory, fc.array(eventDamage, { minLength: 0, maxLength: 2 }), byteDamage, shapes,
          fc.constantFrom('register', 'cas-register', 'kv', 'set'), fc.constantFrom([], ['--order', 'time'], ['--nil-read', 'absent']),
          async (base, eventHarm, byteHarm, shape, model, extra) => {
            let evs = base;
            for (const d of eventHarm) evs = damageEvents(evs, d as Record<string, unknown> & { kind: string });
            const bytes = damageBytes(writeCase(format, evs, shape), byteHarm);
            const file = join(dir, `h${n++}.${format}`);
            writeFileSync(file, bytes);
            const out = join(dir, 'out');
            // No --budget: it counts from the start of the process, which here is the whole mocha run; the
            // histories are a few operations each, and a hang would still fail the test by its timeout.
            const r = await checkInProcess([file, '--model', model, '--out', out, ...extra]);
            seen[format]++;
            seen.codes.set(r.code, (seen.codes.get(r.code) ?? 0) + 1);
            assertAnswer(r, file, bytes, format);
            rmSync(file);
          }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      assert.equal(seen[format], RUNS);
    });
  }

  it('covered every answer: valid, anomalies, unknown and bad input all occurred', () => {
    for (const code of [0, 1, 2, 65]) assert.ok((seen.codes.get(code) ?? 0) > 0, `exit ${code} never occurred: ${JSON.stringify([...seen.codes])}`);
  });

  it('through the real CLI process: a FIFO, /dev/zero, an empty directory, deep nesting, bad bytes and generated cases, without hanging', async () => {
    const rift = resolve('bin/rift.mjs');
    const sub = join(dir, 'a-directory');
    mkdirSync(sub);
    const fifo = join(dir, 'fifo.jsonl');
    spawnSync('mkfifo', [fifo]);
    const deepEdn = join(dir, 'deep.edn');
    writeFileSync(deepEdn, `{:type :invoke, :f :write, :value ${'['.repeat(20_000)}${']'.repeat(20_000)}, :process 0}\n`);
    const bad = join(dir, 'bytes.jsonl');
    writeFileSync(bad, Buffer.concat([Buffer.from('{"type":"invoke","process":0,"f":"write","key":"'), Buffer.from([0xff]), Buffer.from('","value":1,"time":1}\n')]));
    const inst = join(dir, 'inst.edn');
    writeFileSync(inst, '{:type :invoke, :f :write, :value #inst "bogus", :process 0, :time 1}\n');
    const empty = join(dir, 'nemesis-only.jsonl');
    writeFileSync(empty, '{"type":"invoke","process":"nemesis","f":"kill","value":null,"time":1}\n');
    const generated = fc.sample(fc.tuple(baseHistory, eventDamage, byteDamage, fc.constantFrom('jsonl', 'edn' as const), shapes), { seed: SEED, numRuns: 3 })
      .map(([base, harm, bytesHarm, format, shape], i) => {
        const bytes = damageBytes(writeCase(format, damageEvents(base, harm as Record<string, unknown> & { kind: string }), shape), bytesHarm);
        const file = join(dir, `cli-${i}.${format}`);
        writeFileSync(file, bytes);
        return { file, bytes, format };
      });
    // Two at a time, for the two cores: each process spends most of its time starting up.
    const cli = (path: string, i: number) => new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((done) => {
      execFile(process.execPath, [rift, 'check', path, '--out', join(dir, `cli-out-${i}`)], { timeout: 120_000 }, (e, out, err) => {
        done({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, out, err });
      });
    });
    const refused: [string, string][] = [[fifo, ''], ['/dev/zero', ''], [deepEdn, ':1'], [bad, ':1'], [inst, ':1']];
    const all = [...refused.map(([p]) => p), empty, ...generated.map((g) => g.file)];
    const runs: Awaited<ReturnType<typeof cli>>[] = [];
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < all.length; i = next++) runs[i] = await cli(all[i], i);
    };
    await Promise.all([lane(), lane()]);
    // A directory stands for the histories below it; one with none is a usage error naming it, not a hang or a crash.
    const emptyDir = await cli(sub, all.length);
    assert.equal(emptyDir.code, 64, emptyDir.out + emptyDir.err);
    assert.ok(emptyDir.err.startsWith(`rift: ${sub}: a directory with no histories`), emptyDir.err);
    refused.forEach(([path, line], i) => {
      const r = runs[i];
      assert.equal(r.signal, null, `${path}: hung and was killed`);
      assert.equal(r.code, 65, `${path}: ${r.out}${r.err}`);
      assert.ok(r.err.startsWith(`rift: bad history: ${path}${line}: `), r.err);
      assert.doesNotMatch(r.err, /\n\s+at /);
    });
    const e = runs[refused.length];
    assert.equal(e.code, 2, e.out + e.err);
    assert.match(e.out, /no client operations|too little data: 0 ok client operations/);
    assert.equal(JSON.parse(readFileSync(join(dir, `cli-out-${refused.length}`, 'results.json'), 'utf8')).valid, 'unknown');
    generated.forEach((g, i) => {
      const r = runs[refused.length + 1 + i];
      assert.equal(r.signal, null, `${g.file}: hung and was killed`);
      assertAnswer({ code: r.code ?? -1, out: r.out, err: r.err }, g.file, g.bytes, g.format);
    });
  });
});
