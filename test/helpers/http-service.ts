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
  /** Sends the held answers of `path`, and answers later requests to it at once. */
  release(path: string): void;
  close(): Promise<void>;
}

/**
 * One answer. `type` is the content type (`text/plain` when omitted; `null` sends none, as a bare 204 does), `headers`
 * adds others (a redirect's `location`), `hold` keeps the answer back until {@link HttpService.release} names its path.
 */
export type Answer = { status: number; type?: string | null; body: string; delayMs?: number; headers?: Record<string, string>; hold?: boolean };

/**
 * A small far end for HTTP Request and Run Function widgets: answers from `routes` by path (query ignored),
 * records every request, and answers 404 for anything else.
 */
export async function startHttpService(routes: Record<string, Answer | ((req: ReceivedRequest) => Answer)>): Promise<HttpService> {
  const requests: ReceivedRequest[] = [];
  const released = new Set<string>();
  const held = new Map<string, Array<() => void>>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(received);
      const path = (req.url ?? '').split('?')[0]!;
      const route = routes[path];
      const answer = typeof route === 'function' ? route(received) : (route ?? { status: 404, body: 'not found' });
      const type = answer.type === undefined ? { 'content-type': 'text/plain' } : answer.type === null ? {} : { 'content-type': answer.type };
      const send = () => setTimeout(() => res.writeHead(answer.status, { ...type, ...answer.headers }).end(answer.body), answer.delayMs ?? 0);
      if (answer.hold && !released.has(path)) held.set(path, [...(held.get(path) ?? []), send]);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    release(path) {
      released.add(path);
      for (const send of held.get(path) ?? []) send();
      held.delete(path);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
