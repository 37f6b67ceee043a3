import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { FaultSpec } from '../../emulator/faults';
import type { AdminState } from '../../emulator/admin-state';
import { basicAuthorization, type Config, loadConfig } from '../../src/config';
import { PROJECT_ROOT } from '../../src/project-root';
import { registerSearchAttributes } from '../../src/services/search-attribute-registration';
import { writeWorkflowBundle } from '../../src/worker/workflow-bundle';
import { type NodeProcess, startApiProcess, startWorkerProcess } from '../../test/helpers/processes';
import { type RunningDevServer, startDevServer, stopProcess } from '../lib/dev-server';
import { freePort } from '../lib/free-port';
import { provisionTemporalCli } from '../lib/temporal-cli';

/** One HTTP answer as the harness saw it; `status` 0 means no answer within the deadline (or the socket failed). */
export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
  readonly ms: number;
}

/** Counts the stack's own misbehaviour while a row runs: worker processes that died without being killed. */
export interface CrashCounter {
  workerCrashes: number;
}

/** Longest the harness waits for a single API answer before it counts "no answer". */
const API_DEADLINE_MS = 30_000;
/** Restarts of a worker that keeps dying by itself, per stack, before the harness gives up restarting it. */
const MAX_CRASH_RESTARTS = 60;

/**
 * The product as an operator runs it, all in separate processes on 127.0.0.1: the Temporal dev server from the
 * project's CLI (SQLite file, so its state survives restarts), the Twilio emulator, the worker (from a prebuilt
 * bundle, so a restart takes seconds) and the API. The harness kills and restarts them; a worker that dies on its
 * own is counted as a crash and restarted, as a process manager would.
 */
export class ChaosStack {
  private temporal!: RunningDevServer;
  private emulatorProcess!: ChildProcess;
  private workerProcess!: NodeProcess;
  private apiProcess!: NodeProcess;
  private killing = false;
  private closed = false;
  private crashRestarts = 0;
  private workerGeneration = 0;
  /** The row currently measured; crashes are charged to it. */
  counter: CrashCounter = { workerCrashes: 0 };
  readonly temporalClient: Client;
  readonly authorization: string;

  private constructor(
    readonly config: Config,
    readonly emulatorUrl: string,
    private readonly cliPath: string,
    private readonly temporalPort: number,
    private readonly dbFile: string,
    private readonly bundlePath: string,
    private readonly log: (line: string) => void,
    connection: Connection,
  ) {
    this.temporalClient = new Client({ connection, namespace: config.temporal.namespace });
    this.authorization = basicAuthorization(config.twilio);
  }

  /** Starts every process; `workDir` holds the Temporal database, the workflow bundle and the server log. */
  static async start(workDir: string, log: (line: string) => void): Promise<ChaosStack> {
    const cli = await provisionTemporalCli(log);
    const bundlePath = join(workDir, 'workflow-bundle.js');
    const temporalPort = await freePort();
    const dbFile = join(workDir, 'temporal.sqlite');
    const [, temporal] = await Promise.all([writeWorkflowBundle(bundlePath), startTemporal(cli.path, temporalPort, dbFile, workDir)]);
    const accountSid = `AC${randomBytes(16).toString('hex')}`;
    const authToken = randomBytes(16).toString('hex');
    const [emulatorPort, apiPort] = [await freePort(), await freePort()];
    const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
    const config = loadConfig({
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_AUTH_TOKEN: authToken,
      TWILIO_API_BASE_URL: emulatorUrl,
      PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}`,
      PORT: String(apiPort),
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: `chaos-${randomBytes(4).toString('hex')}`,
    });
    const connection = await Connection.connect({ address: temporal.address });
    await registerSearchAttributes(connection, 'default');
    const stack = new ChaosStack(config, emulatorUrl, cli.path, temporalPort, dbFile, bundlePath, log, connection);
    stack.temporal = temporal;
    stack.emulatorProcess = spawn(process.execPath, ['--import', 'tsx', 'emulator/main.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken, EMULATOR_PORT: String(emulatorPort), EMULATOR_HOST: '127.0.0.1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitForHttp(`${emulatorUrl}/_emulator/state`, 60_000);
    stack.apiProcess = startApiProcess(config);
    await Promise.all([stack.startWorker(), stack.apiProcess.ready]);
    return stack;
  }

  /** The worker process now serving (replaced on every kill or crash). */
  get worker(): NodeProcess {
    return this.workerProcess;
  }

  private async startWorker(): Promise<void> {
    const generation = ++this.workerGeneration;
    const worker = startWorkerProcess(this.config, { WORKFLOW_BUNDLE_PATH: this.bundlePath });
    this.workerProcess = worker;
    void worker.exited.then(() => this.onWorkerExit(worker, generation));
    await worker.ready;
  }

  private onWorkerExit(worker: NodeProcess, generation: number): void {
    if (this.killing || this.closed || generation !== this.workerGeneration) return;
    this.counter.workerCrashes += 1;
    const cause = crashCause(worker.output());
    this.log(`  worker died by itself (${worker.process.signalCode ?? `exit ${worker.process.exitCode}`}): ${cause.slice(0, 300)}`);
    if (++this.crashRestarts > MAX_CRASH_RESTARTS) return this.log('  worker crashed too often; not restarting it again');
    // A process manager restarts it; a short pause keeps a crash loop from eating both cores.
    setTimeout(() => {
      if (this.closed) return;
      void this.startWorker().catch((err: unknown) => this.closed || this.log(`  worker restart failed: ${String(err)}`));
    }, 1_000);
  }

  /** kill -9 of the worker, then a fresh worker process, resolved once it polls again. */
  async killWorker(): Promise<void> {
    this.killing = true;
    try {
      await this.workerProcess.kill();
    } finally {
      this.killing = false;
    }
    await this.startWorker();
  }

  /** Stops the Temporal server (SIGTERM, SIGKILL after 10 s), keeps it down for `downMs`, starts it on the same file. */
  async restartTemporal(downMs: number): Promise<void> {
    await this.temporal.stop();
    await sleep(downMs);
    this.temporal = await startTemporal(this.cliPath, this.temporalPort, this.dbFile, dirnameOf(this.dbFile));
  }

  /** A Studio API request with Basic auth: a form (object) or a raw body with its content type. */
  async api(method: string, path: string, body?: Record<string, string> | { raw: string | Buffer; type: string }, deadlineMs = API_DEADLINE_MS): Promise<HttpAnswer> {
    const headers: Record<string, string> = { authorization: this.authorization };
    let payload: string | Buffer | undefined;
    if (body && 'raw' in body) {
      payload = body.raw;
      headers['content-type'] = String(body.type);
    } else if (body) {
      payload = new URLSearchParams(body).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    return request(`${this.config.publicBaseUrl}${path}`, { method, headers, body: payload }, deadlineMs);
  }

  /** A raw request to the API without credentials (webhooks carry Twilio's signature instead). */
  raw(path: string, init: RequestInit, deadlineMs = API_DEADLINE_MS): Promise<HttpAnswer> {
    return request(`${this.config.publicBaseUrl}${path}`, init, deadlineMs);
  }

  /** Speaks as Twilio or as the participant, through the emulator's own REST API. */
  emulator(method: string, path: string, form?: Record<string, string>, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const init: RequestInit = { method, headers: { authorization: this.authorization, ...headers } };
    if (form) {
      init.body = new URLSearchParams(form).toString();
      (init.headers as Record<string, string>)['content-type'] = 'application/x-www-form-urlencoded';
    }
    return request(`${this.emulatorUrl}${path}`, init, API_DEADLINE_MS);
  }

  /** Everything the emulator holds, through its admin API. */
  async emulatorState(): Promise<AdminState> {
    const answer = await request(`${this.emulatorUrl}/_emulator/state`, {}, API_DEADLINE_MS);
    if (answer.status !== 200) throw new Error(`emulator state: ${answer.status} ${answer.text.slice(0, 200)}`);
    return answer.body as AdminState;
  }

  async addFault(spec: FaultSpec): Promise<void> {
    const answer = await request(`${this.emulatorUrl}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec) }, API_DEADLINE_MS);
    if (answer.status >= 300) throw new Error(`arming ${JSON.stringify(spec)}: ${answer.status} ${answer.text}`);
  }

  async armedFaults(): Promise<FaultSpec[]> {
    return ((await request(`${this.emulatorUrl}/_emulator/faults`, {}, API_DEADLINE_MS)).body as { faults: FaultSpec[] }).faults;
  }

  async clearFaults(): Promise<void> {
    await request(`${this.emulatorUrl}/_emulator/faults`, { method: 'DELETE' }, API_DEADLINE_MS);
  }

  /** Stops everything it started, in reverse order. */
  async stop(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([this.apiProcess?.kill(), this.workerProcess?.kill()]);
    await stopProcess(this.emulatorProcess, 5_000).catch(() => undefined);
    await this.temporalClient.connection.close().catch(() => undefined);
    await this.temporal?.stop();
  }
}

/** The line that says why a worker died: the last thrown error or fatal line of its output, else its last line. */
function crashCause(output: string): string {
  const lines = output.trim().split('\n').slice(-200);
  const fatal = lines.filter((line) => /^(\w*Error\b|FATAL|Uncaught|thread '.*' panicked)/.test(line.trim()));
  return (fatal.at(-1) ?? lines.at(-1) ?? '').trim();
}

function startTemporal(cliPath: string, port: number, dbFile: string, workDir: string): Promise<RunningDevServer> {
  return startDevServer({ cliPath, port, dbFile, logFile: join(workDir, 'temporal.log'), readinessTimeoutMs: 90_000 });
}

function dirnameOf(file: string): string {
  return file.slice(0, file.lastIndexOf('/'));
}

async function request(url: string, init: RequestInit, deadlineMs: number): Promise<HttpAnswer> {
  const started = Date.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(deadlineMs) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON: kept as text (the check on Twilio's error body then fails, as it should).
    }
    return { status: response.status, body, text, ms: Date.now() - started };
  } catch (err) {
    return { status: 0, body: undefined, text: String(err), ms: Date.now() - started };
  }
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await request(url, {}, 2_000)).status === 200) return;
    await sleep(250);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
