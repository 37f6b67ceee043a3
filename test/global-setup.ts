import { Connection } from '@temporalio/client';
import { type RunningDevServer, startDevServer } from '../scripts/lib/dev-server';
import { freePort } from '../scripts/lib/free-port';
import { provisionTemporalCli } from '../scripts/lib/temporal-cli';
import { registerSearchAttributes } from '../src/services/search-attribute-registration';

declare global {
  var __temporalDevServer: RunningDevServer | undefined;
}

/**
 * Starts one Temporal dev server for the whole integration run (in-memory, headless) and publishes its address
 * as TEMPORAL_TEST_ADDRESS. Set TEMPORAL_TEST_ADDRESS yourself to run the suite against a server you started.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEMPORAL_TEST_ADDRESS) return;
  const cli = await provisionTemporalCli((line) => process.stderr.write(`${line}\n`));
  const server = await startDevServer({ cliPath: cli.path, port: await freePort(), readinessTimeoutMs: 90_000 });
  globalThis.__temporalDevServer = server;
  const connection = await Connection.connect({ address: server.address });
  try {
    await registerSearchAttributes(connection, 'default');
  } finally {
    await connection.close();
  }
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
  // Tests that run the README's `temporal` commands use the same CLI.
  process.env.TEMPORAL_TEST_CLI_PATH = cli.path;
}
