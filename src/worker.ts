import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { connectWorker, createLazyClient } from './temporal/connection';
import { createStudioWorker } from './temporal/worker';

/** `npm run worker`: polls the task queue and runs executions; SIGINT/SIGTERM drain it (the SDK handles both). */
async function main(): Promise<void> {
  const logger = createLogger('worker');
  const config = loadConfig();
  const connection = await connectWorker(config.temporal);
  const client = createLazyClient(config.temporal);
  try {
    const worker = await createStudioWorker({ connection, client, config });
    logger.info(`polling task queue '${config.temporal.taskQueue}'`, { namespace: config.temporal.namespace });
    await worker.run();
  } finally {
    await client.connection.close();
    await connection.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : `worker failed: ${String(err)}`}\n`);
  process.exit(1);
});
