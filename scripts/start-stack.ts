import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ConfigError, type Config, loadConfig } from '../src/config';
import { PROJECT_ROOT } from '../src/project-root';
import { FlowStore } from '../src/services/flow-store';
import { registerSearchAttributes } from '../src/services/search-attribute-registration';
import { createTwilioClient } from '../src/activities/twilio/twilio-client';
import { type WiredChannel, wireExampleChannels } from './lib/example-channels';
import { type LoadedExample, loadExampleFlows } from './lib/example-flows';
import { startDevServer } from './lib/dev-server';
import { Supervisor } from './lib/supervisor';
import { provisionTemporalCli, TemporalCliUnavailableError } from './lib/temporal-cli';

const DATA_DIR = join(PROJECT_ROOT, '.data');
const TEMPORAL_PORT = 7233;
const TEMPORAL_UI_PORT = 8233;
/** Prometheus endpoints of the worker and the API (each process serves its own). */
const WORKER_METRICS_PORT = 9464;
const API_METRICS_PORT = 9465;
const log = (line: string) => process.stdout.write(`${line}\n`);
const supervisor = new Supervisor(log);

interface StackUrls {
  /** The Temporal CLI the dev server runs on, for the README's `temporal …` commands. */
  temporalCli?: string;
  temporalUi?: string;
  temporalLog?: string;
  emulator?: string;
}

/**
 * `npm start`: the whole local stack. Temporal dev server (unless TEMPORAL_ADDRESS names one), the Twilio emulator
 * (unless TWILIO_ACCOUNT_SID names a real account), the worker and the API, supervised as one unit.
 */
async function main(): Promise<number> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  const urls: StackUrls = {};
  if (!env.TEMPORAL_ADDRESS) {
    urls.temporalLog = join(DATA_DIR, 'temporal.log');
    const cli = await provisionTemporalCli(log);
    log(`Temporal CLI: ${cli.path} (from ${cli.source}; ${cli.version})`);
    urls.temporalCli = cli.path;
    const server = await startDevServer({
      cliPath: cli.path,
      port: TEMPORAL_PORT,
      uiPort: TEMPORAL_UI_PORT,
      dbFile: join(DATA_DIR, 'temporal.sqlite'),
      namespace: env.TEMPORAL_NAMESPACE,
      logFile: urls.temporalLog,
      detached: true,
    });
    supervisor.adopt('temporal', server.process, { echo: false });
    env.TEMPORAL_ADDRESS = server.address;
    urls.temporalUi = `http://localhost:${TEMPORAL_UI_PORT}`;
  }
  if (!env.TWILIO_ACCOUNT_SID) {
    const port = Number(env.EMULATOR_PORT ?? 3001);
    Object.assign(env, devCredentials(), { EMULATOR_PORT: String(port), TWILIO_API_BASE_URL: `http://127.0.0.1:${port}` });
    // Texts and studio-target webhooks go to the flow URLs on the API, which checks their signatures against
    // PUBLIC_BASE_URL: so the emulator posts to exactly that base.
    const studioFlowBaseUrl = env.STUDIO_FLOW_BASE_URL || loadConfig(env).publicBaseUrl;
    supervisor.startNode('emulator', 'emulator/main.ts', { ...env, STUDIO_FLOW_BASE_URL: studioFlowBaseUrl });
    urls.emulator = `http://localhost:${port}`;
    await waitFor(`${urls.emulator}/_emulator/state`, 30_000);
  }
  const config = loadConfig(env);
  await ensureSearchAttributes(config);
  supervisor.startNode('worker', 'src/worker.ts', { ...env, METRICS_PORT: String(WORKER_METRICS_PORT) });
  supervisor.startNode('api', 'src/api.ts', { ...env, METRICS_PORT: String(API_METRICS_PORT) });
  const api = `http://localhost:${config.port}`;
  await waitFor(`${api}/healthz`, 120_000);
  const examples = await loadExamples(config);
  // Only the emulator's numbers: a real account's numbers are the user's to wire (README, "Wiring real Twilio").
  const channels = urls.emulator ? await wireExampleChannels(createTwilioClient(config.twilio), config, examples) : [];
  printBanner(config, api, urls, examples, channels);
  return supervisor.whenStopped();
}

/** Dev credentials shared by the emulator and the API; kept in .data so they stay the same across restarts. */
function devCredentials(): { TWILIO_ACCOUNT_SID: string; TWILIO_AUTH_TOKEN: string } {
  const file = join(DATA_DIR, 'dev-credentials.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const credentials = { TWILIO_ACCOUNT_SID: `AC${randomBytes(16).toString('hex')}`, TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex') };
  mkdirSync(DATA_DIR, { recursive: true });
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}

async function ensureSearchAttributes(config: Config): Promise<void> {
  const connection = await Connection.connect(config.temporal.connectionOptions);
  try {
    const added = await registerSearchAttributes(connection, config.temporal.namespace);
    if (added.length > 0) log(`Registered search attributes: ${added.join(', ')}`);
  } catch (err) {
    // The stack still runs; only the search attributes are missing (the error says how to add them).
    log(`Could not register search attributes: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await connection.close();
  }
}

async function loadExamples(config: Config): Promise<LoadedExample[]> {
  const connection = await Connection.connect(config.temporal.connectionOptions);
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    return await loadExampleFlows(new FlowStore(client, config.temporal.taskQueue));
  } finally {
    await connection.close();
  }
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s (last: ${last})`);
}

function printBanner(config: Config, api: string, urls: StackUrls, examples: readonly LoadedExample[], channels: readonly WiredChannel[]): void {
  const { accountSid, authToken } = config.twilio;
  const emulator = urls.emulator;
  const lines = [
    '',
    'studio-temporal is running',
    `  API:          ${api}   (Studio v2 API under /v2, health at /healthz)`,
    `  Console:      ${api}/console/   (flows, executions${urls.emulator ? ' and a phone to play them' : ''}; the credentials below)`,
    `  Temporal:     ${config.temporal.connectionOptions.address ?? 'localhost:7233'} (namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue})`,
    urls.temporalUi && `  Temporal UI:  ${urls.temporalUi}   (server log: ${urls.temporalLog})`,
    urls.temporalCli && `  Temporal CLI: ${urls.temporalCli}   (for \`temporal …\` commands: export PATH="${dirname(urls.temporalCli)}:$PATH")`,
    urls.emulator && `  Emulator:     ${urls.emulator}   (Twilio stand-in; state at ${urls.emulator}/_emulator)`,
    `  Metrics:      http://localhost:${WORKER_METRICS_PORT}/metrics (worker), http://localhost:${API_METRICS_PORT}/metrics (API)`,
    `  Credentials for the API${urls.emulator ? ' and the emulator' : ''} (HTTP Basic auth):`,
    `    TWILIO_ACCOUNT_SID=${accountSid}`,
    `    TWILIO_AUTH_TOKEN=${urls.emulator ? authToken : '(the one you set)'}`,
    `  Try:          curl -u ${accountSid}:${urls.emulator ? authToken : '$TWILIO_AUTH_TOKEN'} ${api}/v2/Flows`,
    '  Example flows (published):',
    ...examples.map((e) => `    ${e.sid}  ${e.friendly_name}  (revision ${e.revision}, ${e.outcome}; flows/${e.file})`),
    ...(emulator && channels.length > 0 ? ['  Text an example as a contact (the replies: README, "Play the inbound examples by hand"):', ...channels.map((c) => playLine(c, emulator))] : []),
    'Press Ctrl-C to stop.',
    '',
  ];
  log(lines.filter(Boolean).join('\n'));
}

/** How to text a wired example from the shell: the number, what points it at the flow, and the curl that plays the contact. */
function playLine(channel: WiredChannel, emulator: string): string {
  const via = channel.type === 'incoming-phone-number' ? `phone number ${channel.resourceSid}, SmsUrl` : `address configuration ${channel.resourceSid}, auto-creation webhook`;
  return [
    `    ${channel.address}  ${channel.friendlyName}  (${via} = ${channel.flowUrl})`,
    `      curl -s ${emulator}/_emulator/inbound --data-urlencode From=+15557770001 --data-urlencode To=${channel.address} -d Body=hi`,
  ].join('\n');
}

main()
  .then((code) => process.exit(code))
  .catch(async (err: unknown) => {
    const known = err instanceof ConfigError || err instanceof TemporalCliUnavailableError;
    process.stderr.write(`\nnpm start failed: ${known ? (err as Error).message : String(err)}\n`);
    await supervisor.stopAll('start-up failed', 1);
    process.exit(1);
  });
