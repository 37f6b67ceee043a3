import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Config } from '../../src/config';

export interface WorkerProcess {
  readonly process: ChildProcess;
  /** Resolves once the worker logged that it polls its task queue. */
  readonly ready: Promise<void>;
  /** The crash the test is about: no shutdown, no completion of what is in flight. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

/** The real worker entry point (`npm run worker`) as a separate process, configured like the test's stack. */
export function startWorkerProcess(config: Config): WorkerProcess {
  const env = {
    ...process.env,
    TWILIO_ACCOUNT_SID: config.twilio.accountSid,
    TWILIO_AUTH_TOKEN: config.twilio.authToken,
    TWILIO_API_BASE_URL: config.twilio.apiBaseUrl ?? '',
    PUBLIC_BASE_URL: config.publicBaseUrl,
    TEMPORAL_ADDRESS: config.temporal.connectionOptions.address ?? '',
    TEMPORAL_NAMESPACE: config.temporal.namespace,
    TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('polling task queue')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`worker exited before it was ready (${signal ?? code}): ${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    ready,
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
