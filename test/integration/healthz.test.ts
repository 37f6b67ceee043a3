import { Client, Connection } from '@temporalio/client';
import { type BoundServer, startApi } from '../helpers/api';
import { testConfig } from '../helpers/config';
import { connectClient, type RunningWorker, startWorker, uniqueTaskQueue } from '../helpers/temporal';

describe('GET /healthz', () => {
  let client: Client;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    client = await connectClient();
    cleanups.push(() => client.connection.close());
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function api(taskQueue: string, temporal = client): Promise<BoundServer> {
    const server = await startApi(testConfig({ TEMPORAL_TASK_QUEUE: taskQueue }), temporal);
    cleanups.push(() => server.close());
    return server;
  }

  test('when the server answers and a worker polls the task queue, then it answers 200 with both ok', async () => {
    const taskQueue = uniqueTaskQueue('health');
    const worker: RunningWorker = await startWorker(testConfig({ TEMPORAL_TASK_QUEUE: taskQueue }));
    cleanups.push(() => worker.stop());
    const server = await api(taskQueue);

    // A new worker's first poll reaches the server within a moment; poll the probe rather than sleep.
    let response = await fetch(`${server.url}/healthz`);
    for (let i = 0; i < 50 && response.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      response = await fetch(`${server.url}/healthz`);
    }

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ temporal: 'ok', worker: 'ok' });
  });

  test('when no worker polls the task queue, then it answers 503 naming the worker', async () => {
    const taskQueue = uniqueTaskQueue('no-worker');
    const server = await api(taskQueue);

    const response = await fetch(`${server.url}/healthz`);

    expect(response.status).toBe(503);
    const body = (await response.json()) as { temporal: string; worker: string };
    expect(body.temporal).toBe('ok');
    expect(body.worker).toContain(`no worker is polling task queue '${taskQueue}'`);
  });

  test('when the process is stopping (SIGTERM), then it answers 503 so load balancers stop sending requests', async () => {
    let stopping = false;
    const server = await startApi(testConfig({ TEMPORAL_TASK_QUEUE: 'studio' }), client, { stopping: () => stopping });
    cleanups.push(() => server.close());
    expect((await fetch(`${server.url}/healthz`)).status).not.toBe(500);

    stopping = true;
    const response = await fetch(`${server.url}/healthz`);

    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ api: 'stopping' });
  });

  test('when the Temporal server cannot be reached, then it answers 503 naming Temporal', async () => {
    const unreachable = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 }) });
    const server = await api('studio', unreachable);

    const response = await fetch(`${server.url}/healthz`);

    expect(response.status).toBe(503);
    const body = (await response.json()) as { temporal: string; worker: string };
    expect(body.temporal).toMatch(/^unreachable: /);
  });
});
