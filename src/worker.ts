import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { installRuntime } from './telemetry';
import { connectWorker, createLazyClient } from './services/connection';
import { createStudioWorker } from './worker/studio-worker';

/**
 * `npm run worker`: polls the task queue and runs executions. SIGINT and SIGTERM drain it: it stops polling, running
 * activities get WORKER_SHUTDOWN_GRACE_SECONDS to finish, workflow tasks in hand complete, then it exits 0.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('worker', { level: config.logLevel });
  installRuntime({ metricsPort: config.metricsPort, logLevel: config.logLevel, handleSignals: true }, logger);
  const connection = await connectWorker(config.temporal);
  const client = createLazyClient(config.temporal);
  try {
    const worker = await createStudioWorker({ connection, client, config, logger });
    logger.info(`polling task queue '${config.temporal.taskQueue}'`, {
      namespace: config.temporal.namespace,
      startupMs: Math.round(process.uptime() * 1000),
      metrics: config.metricsPort === undefined ? null : `http://0.0.0.0:${config.metricsPort}/metrics`,
    });
    await worker.run();
    logger.info('worker drained and stopped');
  } finally {
    await client.connection.close();
    await connection.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : `worker failed: ${String(err)}`}\n`);
  process.exit(1);
});
