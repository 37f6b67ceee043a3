import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Config } from '../../src/config';

export interface NodeProcess {
  readonly process: ChildProcess;
  /** Resolves once the process logged the line that says it serves. */
  readonly ready: Promise<void>;
  /** Everything it wrote so far, standard output and error together. */
  output(): string;
  /** Its JSON log lines so far (other lines skipped). */
  logLines(): Record<string, unknown>[];
  /** Resolves with the exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  /** The crash the test is about: no shutdown, no completion of what is in flight. */
  kill(): Promise<void>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

/** This process's environment with what the entry points read for `config` (plus `extra`), for a child process. */
export function envOf(config: Config, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TWILIO_ACCOUNT_SID: config.twilio.accountSid,
    TWILIO_AUTH_TOKEN: config.twilio.authToken,
    TWILIO_API_BASE_URL: config.twilio.apiBaseUrl ?? '',
    PUBLIC_BASE_URL: config.publicBaseUrl,
    PORT: String(config.port),
    TEMPORAL_ADDRESS: config.temporal.connectionOptions.address ?? '',
    TEMPORAL_NAMESPACE: config.temporal.namespace,
    TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
    ...extra,
  };
}

/** The real worker entry point (`npm run worker`) as a separate process, configured like the test's stack. */
export function startWorkerProcess(config: Config, extra: Record<string, string> = {}): NodeProcess {
  return startNodeProcess('src/worker.ts', envOf(config, extra), 'polling task queue');
}

/** The real API entry point (`npm run api`) as a separate process; `config.port` must be a free port. */
export function startApiProcess(config: Config, extra: Record<string, string> = {}): NodeProcess {
  return startNodeProcess('src/api.ts', envOf(config, extra), 'listening on port');
}

function startNodeProcess(entry: string, env: NodeJS.ProcessEnv, readyText: string): NodeProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(readyText)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`${entry} exited before it was ready (${signal ?? code}): ${output}`)));
  });
  ready.catch(() => undefined);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    process: child,
    ready,
    exited,
    output: () => output,
    logLines: () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
