import type { IncomingMessage } from 'node:http';
import { badRequest, HttpError, tooLarge } from './errors.ts';
import { checkJsonDepth } from './json-depth.ts';
import type { BodyCheck } from '../propagator/hmac.ts';

/**
 * Reads the whole body, refusing early (413) once it passes `limit` bytes so a huge upload cannot exhaust memory
 * (the request is then destroyed: nothing more of it is read). Plain stream events, not an async iterator: for the
 * small body of a typical write that machinery cost more than the rest of reading and parsing it.
 */
export function readBody(req: IncomingMessage, limit: number, signature?: BodyCheck): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(tooLarge(`request body of ${declared} bytes exceeds the limit of ${limit} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        done();
        req.destroy();
        reject(tooLarge(`request body exceeds the limit of ${limit} bytes`));
        return;
      }
      signature?.update(chunk);
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    };
    const onError = (e: Error) => {
      done();
      reject(e);
    };
    const onClose = () => {
      done();
      reject(new Error('the client closed the request before its body was read'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * Reads a peer's body whose headers were already authenticated (propagator/hmac.ts): exactly the declared length,
 * at most `limit`, and refused (401) unless the streamed bytes match the signature.
 */
export async function readSignedBody(req: IncomingMessage, limit: number, declared: number, signature: BodyCheck): Promise<Buffer> {
  if (declared > limit) throw tooLarge(`request body of ${declared} bytes exceeds the limit of ${limit} bytes`);
  const raw = await readBody(req, declared, signature);
  if (raw.length !== declared || !signature.matches()) {
    throw new HttpError(401, 'bad-signature', 'request body does not match X-Rift-Signature');
  }
  return raw;
}

export function parseJsonObject(buf: Buffer, maxDepth: number): Record<string, unknown> {
  if (buf.length === 0) throw badRequest('request body is empty; expected a JSON object');
  checkJsonDepth(buf, maxDepth);
  let v: unknown;
  try {
    v = JSON.parse(buf.toString('utf8'));
  } catch (e) {
    throw badRequest(`request body is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badRequest('request body must be a JSON object');
  return v as Record<string, unknown>;
}

/** `name`: how errors call the field, when it sits inside another (`op.delta`). */
export function requireField(body: Record<string, unknown>, field: string, name = field): unknown {
  if (!(field in body)) throw badRequest(`field "${name}" is required`);
  return body[field];
}

export function requireNumber(body: Record<string, unknown>, field: string, name = field): number {
  const v = requireField(body, field, name);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw badRequest(`field "${name}" must be a finite number`);
  return v;
}
