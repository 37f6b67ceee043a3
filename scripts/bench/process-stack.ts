import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import express, { type RequestHandler } from 'express';
import { createEmulator, type Emulator } from '../../emulator/emulator';
import { listen } from '../../src/api/server';
import { basicAuthorization, type Config, loadConfig } from '../../src/config';
import { PROJECT_ROOT } from '../../src/project-root';
import { registerSearchAttributes } from '../../src/services/search-attribute-registration';
import { writeWorkflowBundle } from '../../src/worker/workflow-bundle';
import { envOf, startApiProcess, startWorkerProcess } from '../../test/helpers/processes';
import { startDevServer } from '../lib/dev-server';
import { freePort } from '../lib/free-port';
import { provisionTemporalCli } from '../lib/temporal-cli';

/**
 * A benchmark's stack as production runs it: the Temporal dev server, the studio worker (`npm run worker`), the API
 * (`npm run api`) and the baseline's worker (baseline-worker.ts) each in its own process, so each one's CPU and memory
 * are its own; the emulator (Twilio's side) and the load run in the benchmark's process, as they would on Twilio and
 * the contacts' phones.
 */
export interface ProcessStack {
  readonly config: Config;
  /** The HTTP Basic authorization header for the API and the emulator. */
  readonly authorization: string;
  readonly client: Client;
  readonly emulator: Emulator;
  readonly emulatorUrl: string;
  readonly apiUrl: string;
  readonly baselineTaskQueue: string;
  readonly pids: { readonly worker: number; readonly api: number; readonly temporal: number; readonly baseline: number };
  stop(): Promise<void>;
}

/** Starts every process of {@link ProcessStack} and resolves once each one polls or listens; `name` names the task queues. */
export async function startProcessStack(name: string, emulatorProbe?: RequestHandler): Promise<ProcessStack> {
  const workDir = await mkdtemp(join(tmpdir(), `${name}-`));
  const cli = await provisionTemporalCli((line) => process.stderr.write(`${line}\n`));
  const [, temporal] = await Promise.all([
    writeWorkflowBundle(join(workDir, 'workflow-bundle.js')),
    startDevServer({ cliPath: cli.path, port: await freePort(), readinessTimeoutMs: 90_000, logFile: join(workDir, 'temporal.log') }),
  ]);
  const connection = await Connection.connect({ address: temporal.address });
  await registerSearchAttributes(connection, 'default');
  const client = new Client({ connection });
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const emulator = createEmulator({ accountSid, authToken });
  const outer = express();
  if (emulatorProbe) outer.use(emulatorProbe);
  outer.use(emulator.app);
  const emulatorServer = await listen(outer, await freePort(), '127.0.0.1');
  const apiPort = await freePort();
  const config = loadConfig({
    TWILIO_ACCOUNT_SID: accountSid,
    TWILIO_AUTH_TOKEN: authToken,
    TWILIO_API_BASE_URL: emulatorServer.url,
    PORT: String(apiPort),
    PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}`,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: name,
  });
  const extra = { WORKFLOW_BUNDLE_PATH: join(workDir, 'workflow-bundle.js') };
  const baselineTaskQueue = `${name}-baseline`;
  const worker = startWorkerProcess(config, extra);
  const api = startApiProcess(config, extra);
  const baseline = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/baseline-worker.ts'], {
    cwd: PROJECT_ROOT,
    env: envOf(config, { BASELINE_TASK_QUEUE: baselineTaskQueue }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baselineReady = new Promise<void>((resolve) => baseline.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('polling') && resolve()));
  const stop = async () => {
    baseline.kill('SIGTERM');
    await Promise.all([worker.stop(), api.stop(), new Promise((resolve) => baseline.once('exit', resolve))]);
    await connection.close();
    await emulatorServer.close();
    await temporal.stop();
  };
  try {
    await Promise.all([worker.ready, api.ready, baselineReady]);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    config,
    authorization: basicAuthorization({ accountSid, authToken }),
    client,
    emulator,
    emulatorUrl: emulatorServer.url,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    baselineTaskQueue,
    pids: { worker: worker.process.pid!, api: api.process.pid!, temporal: temporal.process.pid!, baseline: baseline.pid! },
    stop,
  };
}
