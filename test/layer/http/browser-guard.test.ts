import { strict as assert } from 'node:assert';
import type { IncomingMessage } from 'node:http';
import { refuseBrowserRequests, requireJsonContentType } from '../../../layer/http/browser-guard.ts';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const status = (f: () => void): number => {
  try {
    f();
    return 200;
  } catch (e) {
    return (e as { status: number }).status;
  }
};

describe('browser guard (http/browser-guard.ts)', () => {
  it('refuses origins not allowed and cross-site fetches, passes programs, same-origin and allowed origins', () => {
    const allowed = ['https://ok.test'];
    const cases: [Record<string, string>, number][] = [
      [{}, 200],
      [{ 'sec-fetch-site': 'same-origin' }, 200],
      [{ 'sec-fetch-site': 'none' }, 200],
      [{ origin: 'https://ok.test', 'sec-fetch-site': 'cross-site' }, 200],
      [{ origin: 'https://evil.test' }, 403],
      [{ origin: 'null' }, 403],
      [{ origin: 'https://ok.test.evil.test' }, 403],
      [{ 'sec-fetch-site': 'cross-site' }, 403],
      [{ 'sec-fetch-site': 'same-site' }, 403],
    ];
    for (const [headers, expected] of cases) assert.equal(status(() => refuseBrowserRequests(req(headers), allowed)), expected, JSON.stringify(headers));
  });

  it('accepts only application/json bodies (any case, with parameters)', () => {
    const cases: [Record<string, string>, number][] = [
      [{ 'content-type': 'application/json' }, 200],
      [{ 'content-type': 'Application/JSON; charset=utf-8' }, 200],
      [{ 'content-type': 'text/plain' }, 415],
      [{ 'content-type': 'application/jsonx' }, 415],
      [{ 'content-type': 'multipart/form-data; boundary=x' }, 415],
      [{}, 415],
    ];
    for (const [headers, expected] of cases) assert.equal(status(() => requireJsonContentType(req(headers))), expected, JSON.stringify(headers));
  });
});
