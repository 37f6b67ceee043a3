import type { Client } from '@temporalio/client';
import { createApp } from '../../src/api/app';
import type { RunningServer } from '../../src/api/server';
import type { Config } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { bindFreePort } from './api';
import { devCredentials, testConfig } from './config';
import { connectClient, type RunningWorker, startWorker, uniqueTaskQueue } from './temporal';

export interface TestStack {
  readonly config: Config;
  readonly api: RunningServer;
  readonly worker: RunningWorker;
  readonly temporal: Client;
  stop(): Promise<void>;
}

/**
 * The product as a user runs it, in-process: the real API on a free port, the real worker on a task queue of its
 * own, both sharing one config whose PUBLIC_BASE_URL is the API's own URL.
 */
export async function startStack(name: string, vars: Record<string, string> = {}): Promise<TestStack> {
  const temporal = await connectClient();
  const api = await bindFreePort();
  const { accountSid, authToken } = devCredentials();
  const config = testConfig({
    TWILIO_ACCOUNT_SID: accountSid,
    TWILIO_AUTH_TOKEN: authToken,
    PUBLIC_BASE_URL: api.url,
    TEMPORAL_TASK_QUEUE: uniqueTaskQueue(name),
    ...vars,
  });
  const worker = await startWorker(config);
  api.attach(createApp({ config, temporal, logger: silentLogger }));
  return {
    config,
    api,
    worker,
    temporal,
    async stop() {
      await api.close();
      await worker.stop();
      await temporal.connection.close();
    },
  };
}
