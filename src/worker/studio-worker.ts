import type { Client } from '@temporalio/client';
import { type NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createTwilioClient } from '../activities/twilio/twilio-client';
import type { Config } from '../config';
import { silentLogger, type Logger } from '../logger';
import { type WorkerBundle, workerWorkflowBundle } from './workflow-bundle';

export interface StudioWorkerOptions {
  readonly connection: NativeConnection;
  /** Activities that read Temporal (the flow store) use this client; its owner closes it. */
  readonly client: Client;
  readonly config: Config;
  /** A bundle already at hand (tests bundle once); without it, see {@link workerWorkflowBundle}. */
  readonly workflowBundle?: WorkerBundle;
  readonly logger?: Logger;
}

/** Builds the worker that runs every studio-temporal workflow and activity on the configured task queue. */
export async function createStudioWorker(options: StudioWorkerOptions): Promise<Worker> {
  const { config } = options;
  const limits = config.worker;
  return Worker.create({
    connection: options.connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle: options.workflowBundle ?? (await workerWorkflowBundle(options.logger ?? silentLogger, limits.bundlePath, { stackTraces: limits.workflowStackTraces })),
    activities: createActivities({ config, twilio: createTwilioClient(config.twilio), temporal: options.client }),
    maxConcurrentWorkflowTaskExecutions: limits.maxConcurrentWorkflowTaskExecutions,
    maxConcurrentActivityTaskExecutions: limits.maxConcurrentActivityTaskExecutions,
    maxCachedWorkflows: limits.maxCachedWorkflows,
    // A task or query meant for a worker that died waits this long on its sticky queue before any worker may take
    // it (SDK default 10 s): half of that keeps a read after a worker crash within the API's 10 s query deadline.
    stickyQueueScheduleToStartTimeout: '5s',
    // On SIGTERM, short activities finish instead of being cancelled and retried on another worker.
    shutdownGraceTime: `${limits.shutdownGraceSeconds}s`,
  });
}
