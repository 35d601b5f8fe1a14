import { badRequest } from './errors.ts';
import { requireField, requireNumber } from './body.ts';
import { checkValue } from './limits.ts';
import { isStrategy, type LocalOp } from '../resolver/index.ts';

/** The write a public request asks for on a normal or hot key (layer/API.md): PUT, DELETE or POST …/{op}. */
export function kvWriteOp(method: string, op: string | null, body: Record<string, unknown>): LocalOp {
  if (method === 'PUT') {
    checkValue(requireField(body, 'value'));
    return { op: 'put', value: body.value };
  }
  if (method === 'DELETE') return { op: 'delete' };
  if (op === 'update') return mapUpdate(body);
  if (op === 'incr') return { op: 'incr', delta: requireNumber(body, 'delta') };
  checkValue(requireField(body, 'element'), 'element');
  return { op: op as 'add' | 'remove', element: body.element };
}

/**
 * `{field, type, op}` on a map key: `op` is what the field's own type takes (`{op: "incr", delta}`, `{op: "add" |
 * "remove", element}`, `{op: "put", value}`, `{op: "delete"}`). Maps do not nest, which bounds a state's depth.
 */
function mapUpdate(body: Record<string, unknown>): LocalOp {
  const field = requireField(body, 'field');
  if (typeof field !== 'string' || field === '' || field.length > 256) throw badRequest('field "field" must be a non-empty string of at most 256 characters');
  const type = requireField(body, 'type');
  if (!isStrategy(type) || type === 'map') throw badRequest(`field "type" must be the field's strategy (pn-counter, or-set, lww-register, mv-register, …; maps do not nest), got ${JSON.stringify(type)}`);
  const inner = requireField(body, 'op');
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) throw badRequest('field "op" must be an object such as {"op": "incr", "delta": 1}');
  const o = inner as Record<string, unknown>;
  let innerOp: LocalOp;
  switch (o.op) {
    case 'put':
      checkValue(requireField(o, 'value'), 'op.value');
      innerOp = { op: 'put', value: o.value };
      break;
    case 'delete':
      innerOp = { op: 'delete' };
      break;
    case 'incr': {
      const delta = o.delta;
      if (typeof delta !== 'number' || !Number.isFinite(delta)) throw badRequest('field "op.delta" must be a finite number');
      innerOp = { op: 'incr', delta };
      break;
    }
    case 'add':
    case 'remove':
      checkValue(requireField(o, 'element'), 'op.element');
      innerOp = { op: o.op, element: o.element };
      break;
    default:
      throw badRequest(`field "op.op" must be one of put, delete, incr, add, remove; got ${JSON.stringify(o.op)}`);
  }
  return { op: 'map-update', field, innerStrategy: type, inner: innerOp };
}
