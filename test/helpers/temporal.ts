import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  type Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { Config } from '../../src/config';
import { createStudioWorker } from '../../src/worker/studio-worker';
import { bundleWorkflows } from '../../src/worker/workflow-bundle';

/** The dev server that test/global-setup.ts started (or the one TEMPORAL_TEST_ADDRESS names). */
export function testServerAddress(): string {
  const address = process.env.TEMPORAL_TEST_ADDRESS;
  if (!address) throw new Error('TEMPORAL_TEST_ADDRESS is not set: run integration tests through jest (global-setup.ts)');
  return address;
}

/** A task queue of its own per test file, so files never pick up each other's tasks. */
export function uniqueTaskQueue(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

installQuietRuntime();

/** Worker state changes are logged at INFO; tests only want warnings. Installing twice in one process throws. */
function installQuietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Another test file in this process installed it already.
  }
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundles src/workflows once per test file; every worker in the file reuses it. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflows();
  return bundle;
}

/** A client of the test server, or of the server at `address` (tests that run a server of their own). */
export async function connectClient(address = testServerAddress()): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace: 'default' });
}

export interface RunningWorker {
  readonly worker: Worker;
  stop(): Promise<void>;
}

/**
 * Starts the real studio worker (real activities) against the server `config` names (the test server unless the
 * test set TEMPORAL_ADDRESS); `stop` drains it and closes its connection.
 */
export async function startWorker(config: Config): Promise<RunningWorker> {
  const address = config.temporal.connectionOptions.address ?? testServerAddress();
  const connection = await NativeConnection.connect({ address });
  const client = await connectClient(address);
  const worker = await createStudioWorker({ connection, client, config, workflowBundle: await workflowBundle() });
  const running = worker.run();
  let stopped: Promise<void> | undefined;
  return {
    worker,
    stop() {
      stopped ??= (async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await client.connection.close();
        await connection.close();
      })();
      return stopped;
    },
  };
}
