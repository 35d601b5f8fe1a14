/** Strategy name → its CRDT. The map strategy embeds the others, so it gets this lookup. */
import { lww } from './lww.ts';
import { lwwRegister } from './lww-register.ts';
import { createMap } from './map.ts';
import { mvRegister } from './mv-register.ts';
import { orSet } from './or-set.ts';
import { pnCounter } from './pn-counter.ts';
import { reject } from './reject.ts';
import { siblings } from './siblings.ts';
import type { Crdt, Strategy } from './types.ts';

const CRDTS: Record<Strategy, Crdt<unknown>> = {
  'lww': lww as Crdt<unknown>,
  'lww-register': lwwRegister as Crdt<unknown>,
  'pn-counter': pnCounter as Crdt<unknown>,
  'or-set': orSet as Crdt<unknown>,
  'mv-register': mvRegister as Crdt<unknown>,
  'siblings': siblings as Crdt<unknown>,
  'reject': reject as Crdt<unknown>,
  'map': createMap(crdtFor) as Crdt<unknown>,
};

export function crdtFor(strategy: Strategy): Crdt<unknown> {
  return CRDTS[strategy];
}
