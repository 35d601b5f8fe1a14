/**
 * `rift serve`: the store over HTTP on 127.0.0.1 only, read-only (GET and HEAD). A request names a file below the
 * store; one that climbs out of it (`..`, an encoded `..`, a symlink pointing outside) is refused with 403 before any
 * file is opened. A folder serves its index.html, else its report.html.
 */
import { createReadStream, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.json': 'application/json; charset=utf-8', '.jsonl': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8', '.log': 'text/plain; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
  '.edn': 'text/plain; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.dot': 'text/plain; charset=utf-8', '.conf': 'text/plain; charset=utf-8',
};

export type Resolved = { file: string } | { status: 400 | 403 | 404; why: string };

const inside = (root: string, path: string): boolean => path === root || path.startsWith(root + sep);

/** The file a request path names below `root` (already a real path), or the status that refuses it. */
export function resolveRequest(root: string, urlPath: string): Resolved {
  const raw = urlPath.split('?')[0].split('#')[0];
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return { status: 400, why: 'the path is not valid percent-encoding' };
  }
  if (decoded.includes('\0')) return { status: 400, why: 'the path holds a NUL byte' };
  const parts = decoded.split(/[/\\]+/).filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return { status: 403, why: 'the path climbs out of the store' };
  let real: string;
  try {
    real = realpathSync(join(root, ...parts));
  } catch {
    return { status: 404, why: 'no such file in the store' };
  }
  // A symlink below the store may point anywhere; only what really lies inside it is served.
  if (!inside(root, real)) return { status: 403, why: 'the path leads out of the store' };
  const st = statSync(real);
  if (st.isFile()) return { file: real };
  if (!st.isDirectory()) return { status: 404, why: 'not a file' };
  for (const page of ['index.html', 'report.html']) {
    const f = join(real, page);
    if (statSync(f, { throwIfNoEntry: false })?.isFile()) return { file: f };
  }
  return { status: 404, why: 'a folder with no index.html or report.html' };
}

function handle(root: string, req: IncomingMessage, res: ServerResponse): void {
  const headers = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('rift serve: read-only (GET and HEAD)\n');
    return;
  }
  const r = resolveRequest(root, req.url ?? '/');
  if ('status' in r) {
    res.writeHead(r.status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end(`rift serve: ${r.why}\n`);
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(r.file).toLowerCase()] ?? 'application/octet-stream', 'Content-Length': statSync(r.file).size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(r.file).on('error', () => res.destroy()).pipe(res);
}

/** Listens on 127.0.0.1:`port` (0: any free port); resolves with the server and its URL once listening. */
export function serveStore(store: string, port: number): Promise<{ server: Server; url: string }> {
  const root = realpathSync(store);
  const server = createServer((req, res) => handle(root, req, res));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const addr = server.address();
      const p = typeof addr === 'object' && addr ? addr.port : port;
      resolve({ server, url: `http://127.0.0.1:${p}/` });
    });
  });
}
