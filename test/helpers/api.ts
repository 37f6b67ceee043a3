import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { createApp } from '../../src/api/app';
import type { ApiDeps } from '../../src/api/deps';
import type { RunningServer } from '../../src/api/server';
import type { Config } from '../../src/config';
import { silentLogger } from '../../src/logger';

/** The real Express app on a free port of 127.0.0.1, with its config's PUBLIC_BASE_URL as given. */
export async function startApi(config: Config, temporal: Client, deps: Partial<ApiDeps> = {}): Promise<BoundServer> {
  const server = await bindFreePort();
  server.attach(createApp({ config, temporal, logger: silentLogger, ...deps }));
  return server;
}

export interface BoundServer extends Omit<RunningServer, 'drain'> {
  /** Starts serving `handler`; requests that arrive before it is attached wait. */
  attach(handler: (req: IncomingMessage, res: ServerResponse) => void): void;
}

/**
 * Binds a port before the app exists, so the app's config can name its own URL (PUBLIC_BASE_URL must be the URL
 * webhooks are signed against, and paging links point at it). `port` binds that one instead (an API restarted at
 * its old URL).
 */
export async function bindFreePort(port = 0): Promise<BoundServer> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    attach: (handler) => void server.on('request', handler),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
