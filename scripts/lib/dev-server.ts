import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';

export interface DevServerOptions {
  readonly cliPath: string;
  readonly port: number;
  /** UI port; omitted means a headless server. */
  readonly uiPort?: number;
  /** SQLite file; omitted means an in-memory database. */
  readonly dbFile?: string;
  readonly namespace?: string;
  /** Where the server's own output goes; omitted means it is discarded. */
  readonly logFile?: string;
  /** How long to wait for the frontend to answer; the SDK's own launcher waits only 5 s. */
  readonly readinessTimeoutMs?: number;
  /** Own process group, so a terminal's Ctrl-C reaches only the supervisor, which stops things in order. */
  readonly detached?: boolean;
}

export interface RunningDevServer {
  readonly address: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` and resolves once its frontend answers a gRPC call. */
export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const address = `127.0.0.1:${options.port}`;
  const child = spawn(options.cliPath, devServerArgs(options), {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  if (options.logFile) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    const log = createWriteStream(options.logFile, { flags: 'a' });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  } else {
    child.stdout?.resume();
    child.stderr?.resume();
  }
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) =>
      reject(new Error(`temporal server start-dev exited early (${signal ?? `code ${code}`})${logHint(options)}`)),
    );
    child.once('error', reject);
  });
  exited.catch(() => undefined);
  const server: RunningDevServer = { address, process: child, stop: () => stopProcess(child) };
  try {
    await Promise.race([waitUntilServing(address, options.readinessTimeoutMs ?? 60_000, options), exited]);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

export function devServerArgs(options: DevServerOptions): string[] {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--log-level', 'warn'];
  if (options.namespace && options.namespace !== 'default') args.push('--namespace', options.namespace);
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
    // Without these a file-backed dev server manages about one workflow per second.
    args.push('--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=OFF');
  }
  return args;
}

async function waitUntilServing(address: string, timeoutMs: number, options: DevServerOptions): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`Temporal dev server at ${address} did not answer within ${timeoutMs} ms: ${reason}${logHint(options)}`);
}

function logHint(options: DevServerOptions): string {
  return options.logFile ? `; its log is ${options.logFile}` : '';
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}
