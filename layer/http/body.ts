import type { IncomingMessage } from 'node:http';
import { badRequest, tooLarge } from './errors.ts';

/** Reads the whole body, refusing early (413) once it passes `limit` bytes so a huge upload cannot exhaust memory. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    throw tooLarge(`request body of ${declared} bytes exceeds the limit of ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw tooLarge(`request body exceeds the limit of ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function parseJsonObject(buf: Buffer): Record<string, unknown> {
  if (buf.length === 0) throw badRequest('request body is empty; expected a JSON object');
  let v: unknown;
  try {
    v = JSON.parse(buf.toString('utf8'));
  } catch (e) {
    throw badRequest(`request body is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badRequest('request body must be a JSON object');
  return v as Record<string, unknown>;
}

export function requireField(body: Record<string, unknown>, field: string): unknown {
  if (!(field in body)) throw badRequest(`field "${field}" is required`);
  return body[field];
}

export function requireNumber(body: Record<string, unknown>, field: string): number {
  const v = requireField(body, field);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw badRequest(`field "${field}" must be a finite number`);
  return v;
}

