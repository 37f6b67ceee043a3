import type { Client } from '@temporalio/client';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createTwilioClient } from '../activities/twilio/twilio-client';
import type { Config } from '../config';
import { bundleWorkflows } from './workflow-bundle';

export interface StudioWorkerOptions {
  readonly connection: NativeConnection;
  /** Activities that read Temporal (the flow store) use this client; its owner closes it. */
  readonly client: Client;
  readonly config: Config;
  /** A prebuilt bundle (tests bundle once); without it the worker bundles src/workflows at start. */
  readonly workflowBundle?: WorkerOptions['workflowBundle'];
}

/** Builds the worker that runs every studio-temporal workflow and activity on the configured task queue. */
export async function createStudioWorker(options: StudioWorkerOptions): Promise<Worker> {
  const { config } = options;
  return Worker.create({
    connection: options.connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle: options.workflowBundle ?? (await bundleWorkflows()),
    activities: createActivities({ config, twilio: createTwilioClient(config.twilio), temporal: options.client }),
    // Lets short activities finish on deploys instead of being cancelled and retried.
    shutdownGraceTime: '10s',
  });
}
