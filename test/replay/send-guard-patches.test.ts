import { join } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { type HistoryFile, readHistoryFile } from '../../scripts/lib/history-files';
import { WORKFLOWS_PATH } from '../../src/temporal/workflow-bundle';
import { CONVERSATION_MEDIA_PATCH } from '../../src/workflows/execution/effect-runner';
import { SUBFLOW_HAND_OFF_PATCH } from '../../src/workflows/execution/subflow-effects';
import { workflowBundle } from '../helpers/temporal';

const load = (patch: string, file: string): HistoryFile => readHistoryFile(join(__dirname, '..', 'fixtures', 'histories', 'patches', patch, file));

function activities(history: temporal.api.history.v1.IHistory): string[] {
  return (history.events ?? []).flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
}

/**
 * Two changes that stop a message the old code sent, each guarded by `patched()`, each recorded by the code before
 * the change (`before-patch.json`) and after it (`after-patch.json`):
 * - `subflow-hand-off`: a parent adopts the conversation its subflow handed to Flex; the old parent then sent its next
 *   message into the handed-off conversation and removed the webhook again.
 * - `conversation-media-refused`: a send-message with a media_url in a conversation fails; the old code sent the
 *   text without the media.
 * Both histories must replay against today's code, and the old one must not replay once the guard is taken away.
 */
describe.each([SUBFLOW_HAND_OFF_PATCH, CONVERSATION_MEDIA_PATCH])('the %s patch', (patch) => {
  let current: WorkflowBundleWithSourceMap;
  let unguarded: WorkflowBundleWithSourceMap;

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

  test('the old history sent a conversation message; the new one does not', () => {
    expect(activities(load(patch, 'before-patch.json').history)).toContain('sendConversationMessage');
    expect(activities(load(patch, 'after-patch.json').history)).not.toContain('sendConversationMessage');
  });

  test('both histories replay against today’s code', async () => {
    for (const side of ['before', 'after']) {
      const { history, workflowId } = load(patch, `${side}-patch.json`);
      await expect(Worker.runReplayHistory({ workflowBundle: current }, history, workflowId)).resolves.toBeUndefined();
    }
  });

  test('without the guard, the old history no longer replays', async () => {
    const { history, workflowId } = load(patch, 'before-patch.json');
    await expect(Worker.runReplayHistory({ workflowBundle: unguarded }, history, workflowId)).rejects.toThrow(DeterminismViolationError);
  });
});
