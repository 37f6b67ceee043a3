import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import express, { type RequestHandler } from 'express';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../emulator/emulator';
import { listen, type RunningServer } from '../../src/api/server';
import { basicAuthorization, type Config, loadConfig } from '../../src/config';
import { PROJECT_ROOT } from '../../src/project-root';
import { registerSearchAttributes } from '../../src/services/search-attribute-registration';
import { writeWorkflowBundle } from '../../src/worker/workflow-bundle';
import { envOf, type NodeProcess, startApiProcess, startWorkerProcess } from '../../test/helpers/processes';
import { type RunningDevServer, startDevServer } from '../lib/dev-server';
import { freePort } from '../lib/free-port';
import { provisionTemporalCli } from '../lib/temporal-cli';

/**
 * A benchmark's stack with every part in its own process, as `npm start` runs it: the Temporal dev server, the
 * studio worker (`npm run worker`, from a prebuilt bundle), the API (`npm run api`, serving Prometheus metrics) and a
 * baseline worker for the hand-written workflows (baseline-worker.ts), so each one's CPU and memory are its own. The
 * emulator (Twilio's side) and the load run in the benchmark's process, behind its probe, as they would on Twilio
 * and on the contacts' phones.
 */
export interface ProcessStack {
  readonly config: Config;
  /** The HTTP Basic authorization header for the API and the emulator. */
  readonly authorization: string;
  readonly client: Client;
  readonly temporal: RunningDevServer;
  readonly emulator: Emulator;
  readonly emulatorUrl: string;
  /** The API's base URL (PUBLIC_BASE_URL: what Twilio signs webhooks against). */
  readonly apiUrl: string;
  /** The API's Prometheus endpoint (`GET /metrics`). */
  readonly apiMetricsUrl: string;
  readonly worker: NodeProcess;
  readonly api: NodeProcess;
  readonly baselineTaskQueue: string;
  /** Process IDs, to read each part's memory (bench:scale). */
  readonly pids: { readonly worker: number; readonly api: number; readonly temporal: number; readonly baseline: number };
  stop(): Promise<void>;
}

export interface ProcessStackOptions {
  /** Names the task queues, so one benchmark's run is told apart in the Temporal UI. */
  readonly name: string;
  /** Middleware in front of the emulator, to time what the flows send. */
  readonly emulatorProbe?: RequestHandler;
  readonly emulatorOptions?: Omit<EmulatorOptions, 'accountSid' | 'authToken'>;
}

/** A benchmark's configuration: the emulator as Twilio, the API on 127.0.0.1:`apiPort` (its PUBLIC_BASE_URL too). */
export function benchConfig(parts: { accountSid: string; authToken: string; emulatorUrl: string; apiPort: number; temporalAddress: string; taskQueue: string }): Config {
  return loadConfig({
    TWILIO_ACCOUNT_SID: parts.accountSid,
    TWILIO_AUTH_TOKEN: parts.authToken,
    TWILIO_API_BASE_URL: parts.emulatorUrl,
    PORT: String(parts.apiPort),
    PUBLIC_BASE_URL: `http://127.0.0.1:${parts.apiPort}`,
    TEMPORAL_ADDRESS: parts.temporalAddress,
    TEMPORAL_TASK_QUEUE: parts.taskQueue,
  });
}

/** Starts the stack and resolves once every process is ready; `stop()` ends every process it started. */
export async function startProcessStack(options: ProcessStackOptions): Promise<ProcessStack> {
  const workDir = await mkdtemp(join(tmpdir(), `${options.name}-`));
  const bundlePath = join(workDir, 'workflow-bundle.js');
  const cli = await provisionTemporalCli((line) => process.stderr.write(`${line}\n`));
  const [, temporal] = await Promise.all([
    writeWorkflowBundle(bundlePath),
    startDevServer({ cliPath: cli.path, port: await freePort(), readinessTimeoutMs: 90_000, logFile: join(workDir, 'temporal.log') }),
  ]);
  const connection = await Connection.connect({ address: temporal.address });
  await registerSearchAttributes(connection, 'default');
  const client = new Client({ connection });
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const twilio = createEmulator({ ...options.emulatorOptions, accountSid, authToken });
  const outer = express();
  if (options.emulatorProbe) outer.use(options.emulatorProbe);
  outer.use(twilio.app);
  const emulator: RunningServer = await listen(outer, await freePort(), '127.0.0.1');
  const apiPort = await freePort();
  const metricsPort = await freePort();
  const config = benchConfig({ accountSid, authToken, emulatorUrl: emulator.url, apiPort, temporalAddress: temporal.address, taskQueue: options.name });
  const extra = { WORKFLOW_BUNDLE_PATH: bundlePath };
  const worker = startWorkerProcess(config, extra);
  const api = startApiProcess(config, { ...extra, METRICS_PORT: String(metricsPort) });
  const baselineTaskQueue = `${options.name}-baseline`;
  const baseline = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/baseline-worker.ts'], {
    cwd: PROJECT_ROOT,
    env: envOf(config, { BASELINE_TASK_QUEUE: baselineTaskQueue }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baselineReady = new Promise<void>((resolve) => baseline.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('polling') && resolve()));
  const baselineExited = new Promise((resolve) => baseline.once('exit', resolve));
  let stopping = false;
  // A part that dies mid-run (killed from outside, out of memory) would leave the benchmark polling until its
  // deadline: stop everything at once instead, and say which part went.
  const parts = { 'Temporal dev server': temporal.process, worker: worker.process, API: api.process, 'baseline worker': baseline };
  const lastWords: Partial<Record<string, () => string>> = { worker: () => worker.output(), API: () => api.output() };
  for (const [part, child] of Object.entries(parts)) {
    child.once('exit', (code, signal) => {
      if (stopping) return;
      const said = lastWords[part]?.().slice(-2_000) ?? '';
      process.stderr.write(`${options.name}: the ${part} exited during the run (${signal ?? `code ${code}`}); stopping\n${said}\n`);
      void stop().finally(() => process.exit(1));
    });
  }
  const stop = async () => {
    stopping = true;
    baseline.kill('SIGTERM');
    await Promise.all([worker.stop(), api.stop(), baselineExited]);
    await connection.close();
    await emulator.close();
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
    temporal,
    emulator: twilio,
    emulatorUrl: emulator.url,
    apiUrl: config.publicBaseUrl,
    apiMetricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    worker,
    api,
    baselineTaskQueue,
    pids: { worker: worker.process.pid!, api: api.process.pid!, temporal: temporal.process.pid!, baseline: baseline.pid! },
    stop,
  };
}
