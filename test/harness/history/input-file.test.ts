import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { constants } from 'node:buffer';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeUtf8, readHistoryText, refuseNonRegular } from '../../../harness/history/input-file.ts';
import { HistoryFormatError, readHistory } from '../../../harness/history/reader.ts';

const refused = (line: number, msg: RegExp) => (e: unknown) => e instanceof HistoryFormatError && e.line === line && msg.test(e.message);

describe('harness/history/input-file', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'rift-input-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a directory, a FIFO and a device before reading (a FIFO would block forever)', async () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(refuseNonRegular(sub), refused(0, /sub: is a directory, not a history file$/));
    await assert.rejects(readHistoryText(fifo), refused(0, /is a FIFO/));
    await assert.rejects(readHistoryText('/dev/zero'), refused(0, /^\/dev\/zero: is a device/));
    await assert.rejects(readHistoryText(join(dir, 'none')), refused(0, /none: no such file$/));
  });

  it('reads a regular file, and refuses bytes that are not UTF-8 naming their line', async () => {
    const f = join(dir, 'h.jsonl');
    writeFileSync(f, Buffer.concat([Buffer.from('{"a":"é"}\n{"b":"'), Buffer.from([0x78, 0xff]), Buffer.from('"}\n')]));
    await assert.rejects(readHistory(f), refused(2, /h\.jsonl:2: not valid UTF-8/));
    assert.throws(() => decodeUtf8(Buffer.from([0x61, 0x0a, 0x0a, 0xc3]), 'f'), refused(3, /UTF-8/));
    assert.equal(decodeUtf8(Buffer.from('é\n😀', 'utf8'), 'f'), 'é\n😀');
  });

  it('refuses a file longer than a string can be, before reading it', async () => {
    const f = join(dir, 'huge.jsonl');
    writeFileSync(f, '');
    truncateSync(f, constants.MAX_STRING_LENGTH + 1); // sparse: no disk is used
    await assert.rejects(readHistoryText(f), refused(0, /huge\.jsonl: is \d+ bytes, more than the \d+ a history may have/));
  });

  it('refuses a JSON value nested deeper than the checkers can walk, naming the field', async () => {
    const f = join(dir, 'deep.jsonl');
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    writeFileSync(f, `{"type":"invoke","process":0,"f":"write","value":1,"time":1}\n{"type":"ok","process":0,"f":"write","value":${deep},"time":2}\n`);
    await assert.rejects(readHistory(f), refused(2, /field "value" nests deeper than 100 levels/));
  });
});
