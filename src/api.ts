import { createApp } from './api/app';
import { listen } from './api/server';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { createLazyClient } from './temporal/connection';

/** `npm run api`: the Studio v2 API and the Twilio webhook receiver. */
async function main(): Promise<void> {
  const logger = createLogger('api');
  const config = loadConfig();
  const temporal = createLazyClient(config.temporal);
  const server = await listen(createApp({ config, temporal, logger }), config.port);
  logger.info(`listening on port ${server.port}`, { publicBaseUrl: config.publicBaseUrl });
  const stop = async (signal: string) => {
    logger.info(`${signal} received, stopping`);
    await server.close();
    await temporal.connection.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : `api failed to start: ${String(err)}`}\n`);
  process.exit(1);
});
