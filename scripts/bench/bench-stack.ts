import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import express, { type Express, type RequestHandler } from 'express';
import { createEmulator, type Emulator } from '../../emulator/emulator';
import { createActivities } from '../../src/activities';
import { createTwilioClient } from '../../src/activities/twilio/twilio-client';
import { createApp } from '../../src/api/app';
import { listen, type RunningServer } from '../../src/api/server';
import { basicAuthorization, type Config } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { registerSearchAttributes } from '../../src/services/search-attribute-registration';
import { createStudioWorker } from '../../src/worker/studio-worker';
import { type RunningDevServer, startDevServer } from '../lib/dev-server';
import { freePort } from '../lib/free-port';
import { provisionTemporalCli } from '../lib/temporal-cli';
import { benchConfig } from './process-stack';

/** Everything a benchmark needs, in one process: dev server, emulator, API, the studio worker and a baseline worker. */
export interface BenchStack {
  readonly config: Config;
  /** The HTTP Basic authorization header for the API and the emulator. */
  readonly authorization: string;
  readonly client: Client;
  readonly api: RunningServer;
  readonly emulatorUrl: string;
  readonly emulator: Emulator;
  /** An order-status endpoint answering JSON, like the example HTTP flow's. */
  readonly ordersUrl: string;
  readonly baselineTaskQueue: string;
  stop(): Promise<void>;
}

/** Middleware a benchmark puts in front of the API or the emulator, to time requests as they arrive. */
export interface BenchProbes {
  readonly api?: RequestHandler;
  readonly emulator?: RequestHandler;
}

export async function startBenchStack(baselineWorkflowsPath: string, probes: BenchProbes = {}): Promise<BenchStack> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const cli = await provisionTemporalCli((line) => process.stderr.write(`${line}\n`));
  const server: RunningDevServer = await startDevServer({ cliPath: cli.path, port: await freePort(), readinessTimeoutMs: 90_000 });
  const connection = await Connection.connect({ address: server.address });
  await registerSearchAttributes(connection, 'default');
  const client = new Client({ connection });
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const twilio = createEmulator({ accountSid, authToken });
  const emulator = await serve(twilio.app, probes.emulator, await freePort());
  const orders = await ordersEndpoint();
  const apiPort = await freePort();
  const config = benchConfig({ accountSid, authToken, emulatorUrl: emulator.url, apiPort, temporalAddress: server.address, taskQueue: 'bench-studio' });
  const workerConnection = await NativeConnection.connect({ address: server.address });
  const studioWorker = await createStudioWorker({ connection: workerConnection, client, config });
  const baselineTaskQueue = 'bench-baseline';
  const baselineWorker = await Worker.create({
    connection: workerConnection,
    taskQueue: baselineTaskQueue,
    workflowsPath: baselineWorkflowsPath,
    activities: createActivities({ config, twilio: createTwilioClient(config.twilio), temporal: client }),
  });
  const running = [studioWorker.run(), baselineWorker.run()];
  const api = await serve(createApp({ config, temporal: client, logger: silentLogger }), probes.api, apiPort);
  return {
    config,
    authorization: basicAuthorization({ accountSid, authToken }),
    client,
    api,
    emulatorUrl: emulator.url,
    emulator: twilio,
    ordersUrl: `${orders.url}/orders`,
    baselineTaskQueue,
    async stop() {
      await api.close();
      studioWorker.shutdown();
      baselineWorker.shutdown();
      await Promise.all(running);
      await workerConnection.close();
      await connection.close();
      await emulator.close();
      await new Promise((resolve) => orders.server.close(resolve));
      await server.stop();
    },
  };
}

/** `app` on 127.0.0.1:`port`, behind `probe` when there is one. */
function serve(app: Express, probe: RequestHandler | undefined, port: number): Promise<RunningServer> {
  if (!probe) return listen(app, port, '127.0.0.1');
  const outer = express();
  outer.use(probe, app);
  return listen(outer, port, '127.0.0.1');
}

async function ordersEndpoint(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const id = new URL(req.url ?? '/', 'http://x').searchParams.get('order_id') ?? '';
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ order_id: id, status: 'shipped' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
