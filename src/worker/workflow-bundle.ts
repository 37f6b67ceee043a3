import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { Logger as SdkLogger } from '@temporalio/common';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Logger } from '../logger';
import { PROJECT_ROOT } from '../project-root';

/** Path of the workflow bundle's entry module. */
export const WORKFLOWS_PATH = require.resolve('../workflows');

/** Where `npm run build` writes the bundle the worker loads at start, and its manifest beside it. */
export const PREBUILT_BUNDLE_PATH = join(PROJECT_ROOT, 'dist', 'workflow-bundle.js');

/** webpack's per-module report is noise at start-up; its warnings and errors are not. */
const bundlerLogger: SdkLogger = {
  log: (level, message) => (level === 'WARN' || level === 'ERROR' ? process.stderr.write(`workflow bundler: ${message}\n`) : undefined),
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message) => void process.stderr.write(`workflow bundler: ${message}\n`),
  error: (message) => void process.stderr.write(`workflow bundler: ${message}\n`),
};

/**
 * Modules evaluated once when the worker's reusable V8 context boots and shared by every workflow in it (Temporal's
 * `bundlerOptions.preloadModules`), instead of once per cached workflow: the third-party libraries, which keep no
 * per-workflow state (their exports are frozen by the SDK). Project modules stay per workflow, so no module-level
 * cache of one execution can change what another does.
 */
export const PRELOADED_WORKFLOW_MODULES: readonly string[] = [require.resolve('../workflows/preloaded-libraries')];

/** Preloaded unless workflow stack traces are on (config WORKFLOW_STACK_TRACES): see workflows/stack-traces-off.ts. */
export const STACK_TRACES_OFF_MODULE = require.resolve('../workflows/stack-traces-off');

/** How a bundle is built. `stackTraces`: keep the SDK's per-promise stack traces (config WORKFLOW_STACK_TRACES; off by default). */
export interface BundleOptions {
  readonly stackTraces?: boolean;
}

/** Bundles src/workflows for the sandbox with webpack (seconds); tests do it once per process. */
export function bundleWorkflows(options: BundleOptions = {}): Promise<WorkflowBundleWithSourceMap> {
  const preloadModules = options.stackTraces ? [...PRELOADED_WORKFLOW_MODULES] : [...PRELOADED_WORKFLOW_MODULES, STACK_TRACES_OFF_MODULE];
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: bundlerLogger, preloadModules });
}

/** What a prebuilt bundle was built from: each project source file and the lockfile, by SHA-256, and how. */
interface BundleManifest {
  readonly sdkVersion: string;
  readonly builtAt: string;
  /** Absent in manifests written before the switch existed: those bundles had stack traces. */
  readonly stackTraces?: boolean;
  readonly sources: Readonly<Record<string, string>>;
}

/** Bundles the workflows into `codePath` and writes its manifest (`<codePath>.manifest.json`); returns the source count. */
export async function writeWorkflowBundle(codePath: string = PREBUILT_BUNDLE_PATH, options: BundleOptions = {}): Promise<number> {
  const { code } = await bundleWorkflows(options);
  const sources = Object.fromEntries(
    [...projectSourcesOf(code), 'package-lock.json'].map((file) => [file, fileHash(join(PROJECT_ROOT, file))] as const),
  );
  const manifest: BundleManifest = { sdkVersion: sdkVersion(), builtAt: new Date().toISOString(), stackTraces: options.stackTraces ?? false, sources };
  mkdirSync(dirname(codePath), { recursive: true });
  writeFileSync(codePath, code);
  writeFileSync(manifestPath(codePath), `${JSON.stringify(manifest, null, 1)}\n`);
  return Object.keys(sources).length;
}

/**
 * Whether the bundle at `codePath` can run as it is: `stale` names the sources changed since it was built. Sources
 * that are not on disk (a deploy image holding only dist/) are not compared.
 */
export function prebuiltBundleStatus(codePath: string, options: BundleOptions = {}): { kind: 'missing' } | { kind: 'fresh' } | { kind: 'stale'; changed: string[] } {
  if (!existsSync(codePath) || !existsSync(manifestPath(codePath))) return { kind: 'missing' };
  const manifest = readManifest(codePath);
  const changed = Object.entries(manifest.sources)
    .filter(([file, hash]) => existsSync(join(PROJECT_ROOT, file)) && fileHash(join(PROJECT_ROOT, file)) !== hash)
    .map(([file]) => file);
  if (manifest.sdkVersion !== sdkVersion()) changed.push(`@temporalio/worker ${manifest.sdkVersion} → ${sdkVersion()}`);
  const stackTraces = manifest.stackTraces ?? true;
  if (stackTraces !== (options.stackTraces ?? false)) changed.push(`WORKFLOW_STACK_TRACES ${stackTraces ? 'on' : 'off'} → ${stackTraces ? 'off' : 'on'}`);
  return changed.length > 0 ? { kind: 'stale', changed } : { kind: 'fresh' };
}

export type WorkerBundle = { readonly codePath: string } | WorkflowBundleWithSourceMap;

/**
 * The bundle a worker starts with. An explicit `bundlePath` (WORKFLOW_BUNDLE_PATH) must exist and is used as is.
 * Otherwise the bundle `npm run build` wrote is used when it matches the sources; when it is missing or stale the
 * workflows are bundled now, and the log says so (a production worker should never need webpack).
 */
export async function workerWorkflowBundle(logger: Logger, bundlePath?: string, options: BundleOptions = {}): Promise<WorkerBundle> {
  if (bundlePath) {
    if (!existsSync(bundlePath)) throw new Error(`WORKFLOW_BUNDLE_PATH: no workflow bundle at ${bundlePath} (npm run build writes one)`);
    logger.info('workflow bundle: prebuilt', { path: bundlePath });
    const built = existsSync(manifestPath(bundlePath)) ? (readManifest(bundlePath).stackTraces ?? true) : undefined;
    if (built !== undefined && built !== (options.stackTraces ?? false)) {
      logger.warn(`workflow bundle: WORKFLOW_STACK_TRACES is ${options.stackTraces ? 'on' : 'off'}, but the bundle WORKFLOW_BUNDLE_PATH names was built with it ${built ? 'on' : 'off'}; it runs as built`, { path: bundlePath });
    }
    return { codePath: bundlePath };
  }
  const status = prebuiltBundleStatus(PREBUILT_BUNDLE_PATH, options);
  if (status.kind === 'fresh') {
    logger.info('workflow bundle: prebuilt', { path: relative(process.cwd(), PREBUILT_BUNDLE_PATH) || PREBUILT_BUNDLE_PATH });
    return { codePath: PREBUILT_BUNDLE_PATH };
  }
  const started = Date.now();
  const bundle = await bundleWorkflows(options);
  const reason = status.kind === 'missing' ? 'no prebuilt bundle' : `the prebuilt bundle is older than ${status.changed.slice(0, 5).join(', ')}`;
  logger.info(`workflow bundle: built at start (${reason}); npm run build prebuilds it`, { ms: Date.now() - started });
  return bundle;
}

/** Project files (relative to the root) that went into a bundle, read from its inline source map. */
function projectSourcesOf(code: string): string[] {
  const marker = 'sourceMappingURL=data:application/json;charset=utf-8;base64,';
  const at = code.lastIndexOf(marker);
  if (at < 0) throw new Error('the workflow bundle has no inline source map to list its sources from');
  const map = JSON.parse(Buffer.from(code.slice(at + marker.length).trim(), 'base64').toString('utf8')) as { sources: string[] };
  return map.sources
    .filter((source) => isAbsolute(source) && !source.includes('/node_modules/') && existsSync(source))
    .map((source) => relative(PROJECT_ROOT, source))
    .filter((file) => !file.startsWith('..'))
    .sort();
}

function readManifest(codePath: string): BundleManifest {
  return JSON.parse(readFileSync(manifestPath(codePath), 'utf8')) as BundleManifest;
}

function manifestPath(codePath: string): string {
  return `${codePath}.manifest.json`;
}

function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function sdkVersion(): string {
  return (JSON.parse(readFileSync(require.resolve('@temporalio/worker/package.json'), 'utf8')) as { version: string }).version;
}
