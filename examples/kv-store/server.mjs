// The system under test of this example: a one-node key-value store over HTTP (GET/PUT /k/KEY, JSON values).
// Durable mode appends each write to a log before acknowledging it and replays the log at start; forgetful mode keeps
// writes in memory only, so a crash loses acknowledged writes (the bug the example's test expects Rift to catch).
import { createServer } from 'node:http';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

const [port, logFile, mode = 'durable'] = process.argv.slice(2);
const data = new Map();
if (mode === 'durable' && existsSync(logFile)) {
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    try {
      const [k, v] = JSON.parse(line);
      data.set(k, v);
    } catch {
      // A line torn by a crash was never acknowledged.
    }
  }
}

createServer((req, res) => {
  const key = decodeURIComponent((req.url ?? '').replace(/^\/k\//, ''));
  if (req.method === 'GET') {
    res.end(JSON.stringify(data.get(key) ?? null));
    return;
  }
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    const value = JSON.parse(body);
    if (mode === 'durable') appendFileSync(logFile, `${JSON.stringify([key, value])}\n`);
    data.set(key, value);
    res.end('"ok"');
  });
}).listen(Number(port), '127.0.0.1', () => console.log('ready'));
