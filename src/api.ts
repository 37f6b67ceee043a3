import { createApp } from './api/app';
import { listen } from './api/server';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { installRuntime } from './telemetry';
import { API_RETRY_BUDGET_MS, createLazyClient } from './services/connection';
import { deliverReply } from './services/reply-delivery';
import { ReplyRedelivery } from './services/reply-redelivery';

/**
 * `npm run api`: the Studio v2 API and the Twilio webhook receiver. SIGTERM or SIGINT drains it: /healthz answers
 * 503, no new connections are accepted, requests in flight (webhooks included) are answered, then it exits 0.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('api', { level: config.logLevel });
  // Before any Temporal connection: the runtime carries the SDK's logs and, with METRICS_PORT, the /metrics endpoint.
  const runtime = installRuntime({ metricsPort: config.metricsPort, logLevel: config.logLevel, handleSignals: false }, logger);
  const temporal = createLazyClient(config.temporal, { retryBudgetMs: API_RETRY_BUDGET_MS });
  let stopping = false;
  const redelivery = new ReplyRedelivery((sid, message) => deliverReply(temporal, sid, message), logger, runtime.metricMeter);
  const app = createApp({ config, temporal, logger, meter: runtime.metricMeter, redelivery, stopping: () => stopping });
  const server = await listen(app, config.port);
  logger.info(`listening on port ${server.port}`, {
    publicBaseUrl: config.publicBaseUrl,
    metrics: config.metricsPort === undefined ? null : `http://0.0.0.0:${config.metricsPort}/metrics`,
  });
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: answering requests in flight, accepting no new ones`);
    const cut = await server.drain(config.apiShutdownTimeoutSeconds * 1000);
    if (cut > 0) logger.warn('requests cut off at the shutdown timeout', { requests: cut });
    // Each is logged; Twilio was answered 503 for them, and the executions' catch-up read recovers them.
    const dropped = await redelivery.stop();
    if (dropped > 0) logger.warn('replies not yet redelivered were dropped at shutdown', { replies: dropped });
    await temporal.connection.close();
    logger.info('api stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : `api failed to start: ${String(err)}`}\n`);
  process.exit(1);
});
