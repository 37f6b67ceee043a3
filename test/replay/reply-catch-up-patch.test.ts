import { join } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { type HistoryFile, readHistoryFile } from '../../scripts/lib/history-files';
import { WORKFLOWS_PATH } from '../../src/temporal/workflow-bundle';
import { REPLY_CATCH_UP_PATCH } from '../../src/workflows/execution/reply-catch-up';
import { workflowBundle } from '../helpers/temporal';

const FIXTURES = join(__dirname, '..', 'fixtures', 'histories', 'patches', REPLY_CATCH_UP_PATCH);
const load = (file: string): HistoryFile => readHistoryFile(join(FIXTURES, file));

function activities(history: temporal.api.history.v1.IHistory): string[] {
  return (history.events ?? []).flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
}

/**
 * A waiting send-and-wait-for-reply now reads its conversation back when its wait times out, or when a reply shows
 * a gap after the prompt, guarded by `patched('reply-catch-up')`. Both situations were recorded by the code before
 * the change (the contact's first message never came by webhook: `before-patch-*.json`) and after it
 * (`after-patch-*.json`). All must replay against today's code, and the old ones must not replay once the guard is
 * taken away.
 */
describe(`the ${REPLY_CATCH_UP_PATCH} patch`, () => {
  let current: WorkflowBundleWithSourceMap;
  let unguarded: WorkflowBundleWithSourceMap;
  const situations = ['at-timeout', 'after-gap'] as const;

  beforeAll(async () => {
    current = await workflowBundle();
    unguarded = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      webpackConfigHook: (config) => ({
        ...config,
        resolve: { ...config.resolve, alias: { ...(config.resolve?.alias as object), '@temporalio/workflow$': require.resolve('./unguarded-patches') } },
      }),
    });
  }, 60_000);

  test.each(situations)('%s: the old history has no read; the new one reads the conversation back', (situation) => {
    expect(activities(load(`before-patch-${situation}.json`).history)).not.toContain('listConversationRepliesAfter');
    expect(activities(load(`after-patch-${situation}.json`).history)).toContain('listConversationRepliesAfter');
  });

  test.each(situations)('%s: both histories replay against today’s code', async (situation) => {
    for (const side of ['before', 'after']) {
      const { history, workflowId } = load(`${side}-patch-${situation}.json`);
      await expect(Worker.runReplayHistory({ workflowBundle: current }, history, workflowId)).resolves.toBeUndefined();
    }
  });

  test.each(situations)('%s: without the guard, the old history no longer replays', async (situation) => {
    const { history, workflowId } = load(`before-patch-${situation}.json`);
    await expect(Worker.runReplayHistory({ workflowBundle: unguarded }, history, workflowId)).rejects.toThrow(DeterminismViolationError);
  });
});
