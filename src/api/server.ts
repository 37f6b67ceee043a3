import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Stops accepting and drops idle sockets; resolves when every connection has closed. */
  close(): Promise<void>;
  /**
   * Graceful stop: no new connections; requests already in flight are answered (each answer closes its keep-alive
   * connection); requests still unanswered after `timeoutMs` have their connections cut. Resolves with their number.
   */
  drain(timeoutMs: number): Promise<number>;
}

/** Listens on `port` (0 picks a free one) and resolves with the URL. */
export function listen(app: Express, port: number, host = '0.0.0.0'): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    let draining = false;
    const answering = new Set<ServerResponse>();
    const server: Server = app.listen(port, host, (err?: Error) => {
      if (err) return reject(err);
      const { port: bound } = server.address() as AddressInfo;
      const closed = () =>
        new Promise<void>((done, fail) => {
          server.close((closeErr) => (closeErr ? fail(closeErr) : done()));
          server.closeIdleConnections();
        });
      resolve({
        url: `http://127.0.0.1:${bound}`,
        port: bound,
        close: closed,
        async drain(timeoutMs) {
          draining = true;
          for (const res of answering) if (!res.headersSent) res.setHeader('Connection', 'close');
          let cut = 0;
          const deadline = setTimeout(() => {
            cut = answering.size;
            server.closeAllConnections();
          }, timeoutMs);
          try {
            await closed();
          } finally {
            clearTimeout(deadline);
          }
          return cut;
        },
      });
    });
    // While draining, every answer tells the client to close its connection, so keep-alive sockets end with it.
    server.on('request', (_req, res: ServerResponse) => {
      if (draining) res.setHeader('Connection', 'close');
      answering.add(res);
      res.once('close', () => answering.delete(res));
    });
    server.once('error', reject);
  });
}
