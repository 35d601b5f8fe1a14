import type { Workload, WorkloadOptions } from '../harness/core/workload.ts';
import { registerWorkload } from './register.ts';
import { casRegisterWorkload } from './cas-register.ts';
import { listAppendWorkload } from './list-append.ts';
import { rwRegisterWorkload } from './rw-register.ts';
import { counterWorkload } from './counter.ts';
import { setWorkload } from './set.ts';
import { sessionWorkload } from './session.ts';
import { orSetWorkload } from './or-set.ts';
import { mvRegisterWorkload } from './mv-register.ts';
import { lwwRegisterWorkload } from './lww-register.ts';

/** Every workload by the name `rift run --workload NAME` takes. */
export const workloads: Readonly<Record<string, (opts: WorkloadOptions) => Workload>> = {
  register: registerWorkload,
  'cas-register': casRegisterWorkload,
  'list-append': listAppendWorkload,
  'rw-register': rwRegisterWorkload,
  counter: counterWorkload,
  set: setWorkload,
  session: sessionWorkload,
  'or-set': orSetWorkload,
  'mv-register': mvRegisterWorkload,
  'lww-register': lwwRegisterWorkload,
};
