import { badRequest } from './errors.ts';
import { requireField, requireNumber } from './body.ts';
import { checkValue } from './limits.ts';
import { isStrategy, type LocalOp } from '../resolver/index.ts';

/** The write a public request asks for on a normal or hot key (layer/API.md): PUT, DELETE or POST …/{op}. */
export function kvWriteOp(method: string, op: string | null, body: Record<string, unknown>): LocalOp {
  if (op === 'update') return mapUpdate(body);
  return localOp(method === 'PUT' ? 'put' : method === 'DELETE' ? 'delete' : op, body, '');
}

/**
 * One operation of a key's own type, from the fields of `body`; `where` prefixes the field names in errors (a map
 * update's inner operation is `op.…`).
 */
function localOp(name: unknown, body: Record<string, unknown>, where: string): LocalOp {
  switch (name) {
    case 'put':
      checkValue(requireField(body, 'value', `${where}value`), `${where}value`);
      return { op: 'put', value: body.value };
    case 'delete':
      return { op: 'delete' };
    case 'incr':
      return { op: 'incr', delta: requireNumber(body, 'delta', `${where}delta`) };
    case 'add':
    case 'remove':
      checkValue(requireField(body, 'element', `${where}element`), `${where}element`);
      return { op: name, element: body.element };
    default:
      throw badRequest(`field "${where}op" must be one of put, delete, incr, add, remove; got ${JSON.stringify(name)}`);
  }
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
  return { op: 'map-update', field, innerStrategy: type, inner: localOp(o.op, o, 'op.') };
}
