import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/project-root';

const execFileAsync = promisify(execFile);

/** The pinned CLI: v1.5.1 bundles Temporal Server 1.29.1 and UI 2.42.1, and builds with `go install pkg@version`. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEMPORAL_CLI_MODULE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;

/** Git-ignored folder that holds the CLI this project built or downloaded. */
export const CLI_CACHE_DIR = join(PROJECT_ROOT, '.temporal-cli', 'bin');
const CACHED_CLI = join(CLI_CACHE_DIR, 'temporal');

export type CliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'project cache' | 'go install' | 'download';

export interface TemporalCli {
  readonly path: string;
  readonly source: CliSource;
  readonly version: string;
}

/** Thrown when no source yields a working CLI; its message tells the user what to install. */
export class TemporalCliUnavailableError extends Error {
  constructor(public readonly attempts: readonly string[]) {
    super(
      [
        'Could not find or build the Temporal CLI. Tried, in order:',
        ...attempts.map((a) => `  - ${a}`),
        'To fix it, do one of:',
        '  - install Go 1.22 or newer (https://go.dev/dl/) and run `npm run setup:temporal` again;',
        '  - install the Temporal CLI yourself (https://docs.temporal.io/cli#install) and put it on PATH,',
        '    or set TEMPORAL_CLI_PATH to the binary;',
        '  - point TEMPORAL_ADDRESS at a running Temporal server to skip the local dev server.',
      ].join('\n'),
    );
    this.name = 'TemporalCliUnavailableError';
  }
}

type Log = (line: string) => void;

/**
 * Finds the Temporal CLI in the order DESIGN.md §2 gives (TEMPORAL_CLI_PATH, PATH, the project cache, a Go build,
 * the SDK's download endpoint) and returns the first one that runs. Idempotent: a cached build is reused.
 */
export async function provisionTemporalCli(log: Log = () => undefined, env = process.env): Promise<TemporalCli> {
  const attempts: string[] = [];
  const explicit = env.TEMPORAL_CLI_PATH;
  if (explicit) {
    const found = await tryBinary(explicit, 'TEMPORAL_CLI_PATH');
    if (found) return found;
    // An explicit path that does not work is a mistake to report, not a reason to build something else.
    throw new TemporalCliUnavailableError([`TEMPORAL_CLI_PATH=${explicit}: not an executable Temporal CLI`]);
  }
  for (const [candidate, source] of [
    [findOnPath('temporal', env.PATH), 'PATH'],
    [CACHED_CLI, 'project cache'],
  ] as const) {
    const found = candidate ? await tryBinary(candidate, source) : undefined;
    if (found) return found;
    attempts.push(`${source}: ${describeMiss(candidate, source)}`);
  }
  const built = await buildWithGo(log, attempts, env);
  if (built) return built;
  const downloaded = await downloadRelease(log, attempts);
  if (downloaded) return downloaded;
  throw new TemporalCliUnavailableError(attempts);
}

async function tryBinary(path: string, source: CliSource): Promise<TemporalCli | undefined> {
  if (!isExecutable(path)) return undefined;
  try {
    const { stdout } = await execFileAsync(path, ['--version'], { timeout: 30_000 });
    if (!/temporal version/i.test(stdout)) return undefined;
    return { path, source, version: stdout.trim() };
  } catch {
    return undefined;
  }
}

async function buildWithGo(log: Log, attempts: string[], env: NodeJS.ProcessEnv): Promise<TemporalCli | undefined> {
  const go = findOnPath('go', env.PATH);
  if (!go) {
    attempts.push('go install: Go is not installed (no `go` on PATH)');
    return undefined;
  }
  log(`Building the Temporal CLI from source: go install ${TEMPORAL_CLI_MODULE}`);
  log('(the first build downloads modules and compiles for several minutes; later starts reuse it)');
  mkdirSync(CLI_CACHE_DIR, { recursive: true });
  const code = await new Promise<number>((done) => {
    const child = spawn(go, ['install', TEMPORAL_CLI_MODULE], {
      env: { ...env, GOBIN: CLI_CACHE_DIR, CGO_ENABLED: '0' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', () => done(-1));
    child.on('exit', (status) => done(status ?? -1));
  });
  if (code !== 0) {
    attempts.push(`go install ${TEMPORAL_CLI_MODULE}: failed with exit code ${code} (see the output above)`);
    return undefined;
  }
  const built = await tryBinary(CACHED_CLI, 'go install');
  if (!built) attempts.push(`go install: finished, but ${CACHED_CLI} does not run`);
  return built;
}

/** The endpoint the SDK's ephemeral server uses; needs internet, so it comes last. */
async function downloadRelease(log: Log, attempts: string[]): Promise<TemporalCli | undefined> {
  const platform = { linux: 'linux', darwin: 'darwin' }[process.platform as string];
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch as string];
  if (!platform || !arch) {
    attempts.push(`download: no release for ${process.platform}/${process.arch}`);
    return undefined;
  }
  const metaUrl = `https://temporal.download/cli/${TEMPORAL_CLI_VERSION}?platform=${platform}&arch=${arch}&format=tar.gz`;
  log(`Downloading the Temporal CLI ${TEMPORAL_CLI_VERSION} from temporal.download`);
  const workDir = mkdtempSync(join(tmpdir(), 'temporal-cli-'));
  try {
    const meta = (await (await fetchOk(metaUrl)).json()) as { archiveUrl: string; fileToExtract: string };
    const archive = join(workDir, 'cli.tar.gz');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(archive, Buffer.from(await (await fetchOk(meta.archiveUrl)).arrayBuffer()));
    await execFileAsync('tar', ['-xzf', archive, '-C', workDir, meta.fileToExtract]);
    mkdirSync(CLI_CACHE_DIR, { recursive: true });
    renameSync(join(workDir, meta.fileToExtract), CACHED_CLI);
    return await tryBinary(CACHED_CLI, 'download');
  } catch (err) {
    attempts.push(`download from temporal.download: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return response;
}

function describeMiss(candidate: string | undefined, source: CliSource): string {
  if (!candidate) return source === 'PATH' ? 'no `temporal` on PATH' : 'nothing there';
  return existsSync(candidate) ? `${candidate} does not run as a Temporal CLI` : `${candidate} does not exist`;
}

function findOnPath(name: string, pathVar = process.env.PATH): string | undefined {
  for (const dir of (pathVar ?? '').split(delimiter)) {
    const candidate = dir && join(dir, name);
    if (candidate && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return existsSync(path);
  } catch {
    return false;
  }
}
