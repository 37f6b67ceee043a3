/**
 * What the patch tests share: each `patched()` guard is proven by a recording made before the change and one made
 * after it, which must both replay against today's code, while the one from before must fail against a bundle where
 * the guard is taken away.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { type HistoryFile, readHistoryFile } from '../../scripts/lib/history-files';
import { WORKFLOWS_PATH } from '../../src/worker/workflow-bundle';
import { workflowBundle } from '../helpers/temporal';

/** A recording of one patch's proof: `test/fixtures/histories/patches/<patch>/<file>`. */
export function patchHistory(patch: string, file: string): HistoryFile {
  return readHistoryFile(join(__dirname, '..', 'fixtures', 'histories', 'patches', patch, file));
}

/** The activity types a history schedules, in order. */
export function scheduledActivities(history: temporal.api.history.v1.IHistory): string[] {
  return (history.events ?? []).flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
}

/**
 * Today's workflow code; the same code with every `patched()` answering true (unguarded-patches.ts); or with only the
 * named patch's guard taken away, for a history that later patches would make diverge earlier than its own.
 */
export type WorkflowCode = 'today' | 'unguarded' | { readonly unguarded: string };

const unguarded = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/** Bundles the workflows with `@temporalio/workflow` replaced by unguarded-patches.ts; once per test file and patch. */
function unguardedBundle(patch?: string): Promise<WorkflowBundleWithSourceMap> {
  const key = patch ?? '';
  const cached = unguarded.get(key);
  if (cached) return cached;
  // webpack comes with @temporalio/worker, which bundles with it; DefinePlugin names the patch at bundle time.
  const fromWorker = createRequire(require.resolve('@temporalio/worker'));
  const { DefinePlugin } = fromWorker('webpack') as { DefinePlugin: new (definitions: Record<string, string>) => { apply(compiler: unknown): void } };
  const bundle = bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    webpackConfigHook: (config) => ({
      ...config,
      plugins: [...(config.plugins ?? []), ...(patch ? [new DefinePlugin({ UNGUARDED_PATCH: JSON.stringify(patch) })] : [])],
      resolve: { ...config.resolve, alias: { ...(config.resolve?.alias as object), '@temporalio/workflow$': require.resolve('./unguarded-patches') } },
    }),
  });
  unguarded.set(key, bundle);
  return bundle;
}

/** Bundles both codes (webpack, seconds each) in a suite's beforeAll, so that no test's timeout pays for it. */
export async function bundlePatchProof(): Promise<void> {
  await workflowBundle();
  await unguardedBundle();
}

/** As bundlePatchProof, with the bundle that takes away `patch`'s guard only. */
export async function bundleOnePatchProof(patch: string): Promise<void> {
  await workflowBundle();
  await unguardedBundle(patch);
}

/** Replays `recording` against `code`: resolves when it replays, rejects with the SDK's error when it does not. */
export async function replay(code: WorkflowCode, { history, workflowId }: HistoryFile): Promise<void> {
  const bundle = code === 'today' ? await workflowBundle() : await unguardedBundle(code === 'unguarded' ? undefined : code.unguarded);
  return Worker.runReplayHistory({ workflowBundle: bundle }, history, workflowId);
}
