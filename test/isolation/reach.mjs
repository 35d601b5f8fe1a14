// Tries one connection and prints what happened as JSON: `redis HOST PORT PASSWORD` (AUTH then PING) or
// `http HOST PORT` (GET /health). Run from inside a region to see what that region can reach.
import { connect } from 'node:net';

const [kind, host, port, password] = process.argv.slice(2);
const done = (ok, detail) => {
  process.stdout.write(JSON.stringify({ ok, detail }) + '\n');
  process.exit(0);
};
setTimeout(() => done(false, 'timeout'), 3000);
const sock = connect({ host, port: Number(port) });
sock.on('error', (e) => done(false, e.code ?? e.message));
let got = '';
sock.on('connect', () => {
  if (kind === 'redis') sock.write(`AUTH ${password}\r\nPING\r\n`);
  else sock.write(`GET /health HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
});
sock.on('data', (d) => {
  got += d.toString();
  if (kind === 'redis' && got.includes('+PONG')) done(true, 'PONG');
  if (kind === 'http' && /^HTTP\/1\.1 \d{3}/.test(got)) done(got.startsWith('HTTP/1.1 200'), got.split('\r\n')[0]);
});
sock.on('close', () => done(false, `closed after ${JSON.stringify(got.slice(0, 60))}`));
