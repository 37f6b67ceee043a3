import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface HttpService {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

type Answer = { status: number; type?: string; body: string; delayMs?: number };

/**
 * A small far end for HTTP Request and Run Function widgets: answers from `routes` by path (query ignored),
 * records every request, and answers 404 for anything else.
 */
export async function startHttpService(routes: Record<string, Answer | ((req: ReceivedRequest) => Answer)>): Promise<HttpService> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(received);
      const route = routes[(req.url ?? '').split('?')[0]!];
      const answer = typeof route === 'function' ? route(received) : (route ?? { status: 404, body: 'not found' });
      setTimeout(() => res.writeHead(answer.status, { 'content-type': answer.type ?? 'text/plain' }).end(answer.body), answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
