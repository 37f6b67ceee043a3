import { type ChildProcess, spawn } from 'node:child_process';
import { stopProcess } from './dev-server';

export interface SupervisedChild {
  readonly name: string;
  readonly process: ChildProcess;
}

/**
 * Keeps a set of child processes as one unit: their output is prefixed with their name, Ctrl-C (or SIGTERM) stops
 * all of them, and one that dies on its own brings the others down with a message saying which one and how.
 */
export class Supervisor {
  private readonly children: SupervisedChild[] = [];
  private stopping = false;
  private readonly stopped: Promise<number>;
  private resolveStopped!: (code: number) => void;

  constructor(private readonly log: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {
    this.stopped = new Promise((resolve) => (this.resolveStopped = resolve));
    // `on`, not `once`: a terminal's Ctrl-C can arrive twice (directly and relayed by npm), and a second signal
    // must not kill the supervisor while it is still stopping its children.
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(signal, () => void this.stopAll(`${signal} received`, 0));
    }
    // Last resort if the supervisor itself dies: detached children would otherwise outlive it.
    process.once('exit', () => {
      for (const child of this.children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
    });
  }

  /** Starts a Node script (TypeScript through tsx) as a supervised child. */
  startNode(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group: a terminal's Ctrl-C reaches only this supervisor, which then stops children in order.
      detached: true,
    });
    return this.adopt(name, child);
  }

  /** Supervises a process started elsewhere (the Temporal dev server, whose output goes to its own log file). */
  adopt(name: string, child: ChildProcess, options: { echo?: boolean } = {}): ChildProcess {
    this.children.push({ name, process: child });
    if (options.echo ?? true) {
      prefixLines(child.stdout, name, (line) => this.log(line));
      prefixLines(child.stderr, name, (line) => this.log(line));
    }
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      void this.stopAll(`${name} exited unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`})`, 1);
    });
    return child;
  }

  /** Resolves with the exit code the whole stack should end with. */
  whenStopped(): Promise<number> {
    return this.stopped;
  }

  async stopAll(reason: string, exitCode: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.log(`\n${reason}; stopping ${this.children.map((c) => c.name).join(', ')}…`);
    // Reverse start order: API and worker first, the Temporal server they talk to last.
    for (const child of [...this.children].reverse()) await stopProcess(child.process);
    this.log('stopped.');
    this.resolveStopped(exitCode);
  }
}

function prefixLines(stream: NodeJS.ReadableStream | null, name: string, write: (line: string) => void): void {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) write(`[${name}] ${line}`);
  });
  stream.on('end', () => buffered && write(`[${name}] ${buffered}`));
}
