import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_RESPONSE_BYTES, sendHttpRequest } from '../../../src/activities/http/http-request';

describe('sendHttpRequest', () => {
  let server: Server;
  let url: string;
  const seen: Array<{ method?: string; url?: string; headers: Record<string, unknown>; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        if (req.url === '/json') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"shipped"}');
        if (req.url === '/broken') return void res.writeHead(503, { 'content-type': 'text/plain' }).end('down');
        if (req.url === '/slow') return void setTimeout(() => res.end('late'), 1_000);
        if (req.url === '/huge') return void res.end('x'.repeat(MAX_RESPONSE_BYTES + 1));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((r) => server.close(r)));

  test('when the server answers JSON, then status, content type and raw body come back', async () => {
    expect(await sendHttpRequest({ method: 'GET', url: `${url}/json` })).toEqual({
      ok: true,
      status_code: 200,
      content_type: 'application/json',
      body: '{"status":"shipped"}',
    });
  });

  test('when the server answers 503, then it is still a response, not an error', async () => {
    expect(await sendHttpRequest({ method: 'GET', url: `${url}/broken` })).toMatchObject({ ok: true, status_code: 503, body: 'down' });
  });

  test('when a POST carries headers and a body, then the server receives both', async () => {
    await sendHttpRequest({ method: 'POST', url: `${url}/echo`, headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
  });

  test('when the server is slower than the timeout, then the result says so', async () => {
    expect(await sendHttpRequest({ method: 'GET', url: `${url}/slow`, timeoutMs: 100 })).toEqual({ ok: false, error: 'no response within 0.1 s' });
  });

  test('when nothing listens, then the result carries the connection error', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));

    const result = await sendHttpRequest({ method: 'GET', url: `http://127.0.0.1:${port}/` });

    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('ECONNREFUSED') });
  });

  test('when the body is larger than the limit, then it is refused rather than kept', async () => {
    expect(await sendHttpRequest({ method: 'GET', url: `${url}/huge` })).toEqual({ ok: false, error: 'response body is larger than 64 KB' });
  });
});
