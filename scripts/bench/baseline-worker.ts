import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { createTwilioClient } from '../../src/activities/twilio/twilio-client';
import { loadConfig } from '../../src/config';
import { connectWorker, createLazyClient } from '../../src/services/connection';

/**
 * The baseline's worker as its own process, so bench:scale can read its memory apart from the studio worker's: the
 * hand-written workflows (hand-written-workflow.ts) on BASELINE_TASK_QUEUE, with the product's activities and the
 * same cache limit as the studio worker (WORKER_MAX_CACHED_WORKFLOWS). Stops on SIGTERM.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const connection = await connectWorker(config.temporal);
  const client = createLazyClient(config.temporal);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: process.env.BASELINE_TASK_QUEUE ?? 'bench-baseline',
    workflowsPath: require.resolve('./hand-written-workflow'),
    activities: createActivities({ config, twilio: createTwilioClient(config.twilio), temporal: client }),
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
  });
  process.once('SIGTERM', () => worker.shutdown());
  process.stdout.write('baseline worker polling task queue\n');
  await worker.run();
  await client.connection.close();
  await connection.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`baseline worker failed: ${String(err)}\n`);
  process.exit(1);
});
