import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IndexedOp, Op } from '../../../../harness/core/op.ts';
import { deriveRandom } from '../../../../harness/core/random.ts';
import { any, phases } from '../../../../harness/generator/compose.ts';
import { sleep } from '../../../../harness/generator/basic.ts';
import { stagger, timeLimit } from '../../../../harness/generator/time.ts';
import { interpret } from '../../../../harness/generator/interpreter.ts';
import { nemesisPackage } from '../../../../harness/nemesis/package.ts';
import { createEtcdTarget, etcdPartitionShapes, type EtcdTarget } from '../../../../harness/targets/etcd/index.ts';
import { casRegisterWorkload } from '../../../../workloads/cas-register.ts';
import { registerWorkload } from '../../../../workloads/register.ts';
import { etcdClient } from '../../../../workloads/clients/etcd.ts';

const REGIONS = ['us-east', 'eu-west', 'ap-south'];

/**
 * What `rift run --target etcd --workload cas-register --nemesis partition,kill --max-down minority --seed N` does,
 * assembled from the same parts the runner uses (the workload, the nemesis package with the shapes this target can
 * express, the interpreter), over a short time limit. Kills stay within a minority so that the cluster is expected
 * to keep serving, and the count of completed operations is a fair test of that.
 */
describe('targets/etcd acceptance: register and cas-register under partition and kill pass every checker', function () {
  this.timeout(180_000);
  let dir: string;
  let target: EtcdTarget;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rift-etcd-accept-'));
    const runDir = { root: dir, logs: join(dir, 'logs'), data: join(dir, 'data') };
    mkdirSync(runDir.logs);
    mkdirSync(runDir.data);
    target = createEtcdTarget({ regions: REGIONS, dir: runDir, seed: 5 });
    await target.setup();
  });

  after(async () => {
    await target?.teardown();
    rmSync(dir, { recursive: true, force: true });
  });

  const cases = [
    { name: 'cas-register', seed: 1, build: casRegisterWorkload },
    { name: 'cas-register', seed: 2, build: casRegisterWorkload },
    { name: 'register', seed: 3, build: registerWorkload },
  ];
  for (const { name, seed, build } of cases) {
    it(`${name}, seed ${seed}`, async () => {
      // One cluster serves every case; fresh keys make each history start from absent registers, as a fresh run would.
      // Eight keys keep each key's history short: with unique values every indeterminate write nobody read is a search
      // state of its own, and a few hundred operations on one key under kills can exhaust the checker's memory cap.
      const workload = build({ regions: REGIONS, checkBudgetMs: 60_000, keyPrefix: `seed-${seed}/${name}-`, keyCount: 8, target: 'etcd' });
      const pkg = nemesisPackage({
        faults: ['partition', 'kill'], target, seed, intervalMs: 1500, maxDown: 1, partitionShapes: etcdPartitionShapes(),
      });
      const events: Op[] = [];
      const t0 = process.hrtime.bigint();
      await interpret({
        generator: phases(
          any(timeLimit(15_000, stagger(20, workload.generator)), timeLimit(15_000, pkg.generator)),
          pkg.finalGenerator,
          sleep(1000),
          ...(workload.finalGenerator ? [workload.finalGenerator] : []),
        ),
        concurrency: 6, regions: REGIONS, client: etcdClient(Object.fromEntries(REGIONS.map((r) => [r, target.clientEndpoint(r)])), 2000),
        nemesis: pkg.nemesis, record: (e) => events.push(e), now: () => Number(process.hrtime.bigint() - t0),
        random: deriveRandom(seed, 'workload'), opTimeoutMs: 2000,
      });
      await pkg.nemesis.teardown();
      const history: IndexedOp[] = events.map((e, i) => ({ ...e, index: i, line: i + 1 }));
      const faults = history.filter((e) => e.process === 'nemesis' && e.type === 'info');
      const applied = faults.filter((e) => e.meta?.tookEffect === true).map((e) => e.f);
      assert.ok(applied.includes('kill') && applied.includes('partition'), `both kinds took effect: ${JSON.stringify(faults.map((e) => [e.f, e.value, e.meta?.tookEffect, e.error]))}`);
      const clientOps = history.filter((e) => e.process !== 'nemesis');
      const count = (t: string) => clientOps.filter((e) => e.type === t).length;
      assert.ok(count('ok') > 100, `enough operations completed: ok ${count('ok')}, fail ${count('fail')}, info ${count('info')}; faults ${JSON.stringify(faults.map((e) => [e.f, e.value]))}`);
      for (const c of workload.checkers) {
        const r = await c.check(history, { budgetMs: 60_000, outDir: dir });
        assert.equal(r.valid, true, `${c.name}: ${JSON.stringify(r).slice(0, 1500)}`);
      }
    });
  }
});
