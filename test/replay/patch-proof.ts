/**
 * What the patch tests share: each `patched()` guard is proven by a recording made before the change and one made
 * after it, which must both replay against today's code, while the one from before must fail against a bundle where
 * the guard is taken away.
 */
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

/** Today's workflow code, or the same code with every `patched()` answering true (unguarded-patches.ts). */
export type WorkflowCode = 'today' | 'unguarded';

let unguarded: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Bundles the workflows with `@temporalio/workflow` replaced by unguarded-patches.ts; once per test file. */
function unguardedBundle(): Promise<WorkflowBundleWithSourceMap> {
  unguarded ??= bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    webpackConfigHook: (config) => ({
      ...config,
      resolve: { ...config.resolve, alias: { ...(config.resolve?.alias as object), '@temporalio/workflow$': require.resolve('./unguarded-patches') } },
    }),
  });
  return unguarded;
}

/** Bundles both codes (webpack, seconds each) in a suite's beforeAll, so that no test's timeout pays for it. */
export async function bundlePatchProof(): Promise<void> {
  await workflowBundle();
  await unguardedBundle();
}

/** Replays `recording` against `code`: resolves when it replays, rejects with the SDK's error when it does not. */
export async function replay(code: WorkflowCode, { history, workflowId }: HistoryFile): Promise<void> {
  const bundle = code === 'today' ? await workflowBundle() : await unguardedBundle();
  return Worker.runReplayHistory({ workflowBundle: bundle }, history, workflowId);
}
