import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '../../layer/config.ts';

const good = () => ({
  region: 'us-east', regions: ['us-east', 'eu-west', 'ap-south'], host: '127.0.0.1', port: 7001,
  redis: { host: '127.0.0.1', port: 6390 },
  peers: { 'eu-west': 'http://127.0.0.1:21001', 'ap-south': 'http://127.0.0.1:21002' },
  secret: 's', adminToken: 't', bugs: [], logLevel: 'info',
});

describe('layer config', () => {
  it('accepts the documented shape and fills defaults', () => {
    const c = parseConfig(good());
    assert.equal(c.region, 'us-east');
    assert.equal(c.peers['eu-west'], 'http://127.0.0.1:21001');
    assert.deepEqual(c.bugs, []);
    assert.equal(c.hotStalenessMs, 250);
  });

  const bad: [string, (c: Record<string, any>) => void, RegExp][] = [
    ['missing region', (c) => delete c.region, /field "region"/],
    ['region not in regions', (c) => (c.region = 'mars'), /field "region".*not listed/],
    ['bad port', (c) => (c.port = 70000), /field "port"/],
    ['bad redis port', (c) => (c.redis.port = 'x'), /field "redis.port"/],
    ['missing peer', (c) => delete c.peers['ap-south'], /field "peers.ap-south" is missing/],
    ['peer is self', (c) => (c.peers['us-east'] = 'http://x:1'), /field "peers.us-east"/],
    ['peer not a URL', (c) => (c.peers['eu-west'] = 'nope'), /field "peers.eu-west"/],
    ['unknown bug', (c) => (c.bugs = ['make-it-fast']), /field "bugs\[0\]".*skip-version-check/],
    ['bad log level', (c) => (c.logLevel = 'loud'), /field "logLevel"/],
    ['bad region name', (c) => { c.regions = ['us east', 'eu-west', 'ap-south']; c.region = 'us east'; }, /field "regions\[0\]"/],
    ['placement to unknown region', (c) => (c.placement = [{ prefix: 'a/', region: 'mars' }]), /field "placement\[0\].region"/],
    ['unknown txnMode', (c) => (c.txnMode = 'yolo'), /field "txnMode"/],
    ['unknown strategy', (c) => (c.strategies = [{ prefix: 'a/', strategy: 'magic' }]), /field "strategies\[0\].strategy"/],
  ];
  for (const [name, mutate, message] of bad) {
    it(`rejects ${name}, naming the field`, () => {
      const c: Record<string, any> = good();
      mutate(c);
      assert.throws(() => parseConfig(c, 'node.json'), (e: unknown) => e instanceof ConfigError && message.test(e.message) && e.message.startsWith('node.json'));
    });
  }

  it('main exits non-zero with a one-line message on a bad config file', function () {
    this.timeout(20_000);
    const dir = mkdtempSync(join(tmpdir(), 'rift-cfg-'));
    try {
      const path = join(dir, 'bad.json');
      writeFileSync(path, JSON.stringify({ ...good(), port: 'seven' }));
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'layer/main.ts', '--config', path], { encoding: 'utf8', timeout: 15_000 });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /bad config: .*bad\.json: field "port"/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      writeFileSync(path, '{ not json');
      const r2 = spawnSync(process.execPath, ['--import', 'tsx', 'layer/main.ts', '--config', path], { encoding: 'utf8', timeout: 15_000 });
      assert.equal(r2.status, 2);
      assert.match(r2.stderr, /is not valid JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
