import { join } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { type HistoryFile, readHistoryFile } from '../../scripts/lib/history-files';
import { WORKFLOWS_PATH } from '../../src/temporal/workflow-bundle';
import { CONVERSATION_MEDIA_PATCH } from '../../src/workflows/execution/effect-runner';
import { SUBFLOW_HAND_OFF_PATCH } from '../../src/workflows/execution/subflow-patches';
import { workflowBundle } from '../helpers/temporal';

const load = (patch: string, file: string): HistoryFile => readHistoryFile(join(__dirname, '..', 'fixtures', 'histories', 'patches', patch, file));

/** The commands a history holds that these patches change: activities by type, and signals to another workflow. */
function commands(history: temporal.api.history.v1.IHistory): string[] {
  return (history.events ?? []).flatMap((event) => {
    if (event.signalExternalWorkflowExecutionInitiatedEventAttributes) return ['signal parent'];
    return event.activityTaskScheduledEventAttributes?.activityType?.name ?? [];
  });
}

const CONVERSATION = ['createConversation', 'addConversationParticipant', 'addConversationWebhook'];

/**
 * Changes that stop the flow from writing to a conversation it no longer owns, or from dropping what it was asked to
 * send, each guarded by `patched()` and each recorded by the code before the change (`before-patch*.json`) and
 * after it (`after-patch*.json`):
 * - `subflow-hand-off`: a parent whose subflow handed the conversation to Flex no longer sends into it when the child
 *   returns, nor removes the webhook again when it is ended around the child; the child reports the hand-off.
 * - `conversation-media-refused`: a send-message with a media_url in a conversation fails; the old code sent the
 *   text without the media.
 * Both histories must replay against today's code, and the old one must not replay once the guard is taken away.
 */
describe.each([
  {
    patch: SUBFLOW_HAND_OFF_PATCH,
    situation: 'the parent after its subflow returned from the hand-off',
    files: ['before-patch.json', 'after-patch.json'],
    before: [...CONVERSATION, 'resolveFlowRevision', 'sendConversationMessage', 'removeConversationWebhook'],
    after: [...CONVERSATION, 'resolveFlowRevision'],
  },
  {
    patch: SUBFLOW_HAND_OFF_PATCH,
    situation: 'the parent ended while its subflow runs after the hand-off',
    files: ['before-patch-ended-parent.json', 'after-patch-ended-parent.json'],
    before: [...CONVERSATION, 'resolveFlowRevision', 'removeConversationWebhook'],
    after: [...CONVERSATION, 'resolveFlowRevision'],
  },
  {
    patch: SUBFLOW_HAND_OFF_PATCH,
    situation: 'the subflow that hands off after reporting the conversation',
    files: ['before-patch-ended-child.json', 'after-patch-ended-child.json'],
    before: ['sendHttpRequest', 'signal parent', 'createFlexInteraction', 'removeConversationWebhook', 'sendHttpRequest'],
    after: ['sendHttpRequest', 'signal parent', 'createFlexInteraction', 'removeConversationWebhook', 'signal parent', 'sendHttpRequest'],
  },
  {
    patch: CONVERSATION_MEDIA_PATCH,
    situation: 'a send-message with a media_url in a conversation',
    files: ['before-patch.json', 'after-patch.json'],
    before: [...CONVERSATION, 'sendConversationMessage', 'removeConversationWebhook'],
    after: [...CONVERSATION, 'removeConversationWebhook'],
  },
])('the $patch patch: $situation', ({ patch, files, before, after }) => {
  let current: WorkflowBundleWithSourceMap;
  let unguarded: WorkflowBundleWithSourceMap;
  const [beforeFile, afterFile] = files as [string, string];

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

  test('the recordings hold the old and the new commands', () => {
    expect(commands(load(patch, beforeFile).history)).toEqual(before);
    expect(commands(load(patch, afterFile).history)).toEqual(after);
  });

  test('both histories replay against today’s code', async () => {
    for (const file of files) {
      const { history, workflowId } = load(patch, file);
      await expect(Worker.runReplayHistory({ workflowBundle: current }, history, workflowId)).resolves.toBeUndefined();
    }
  });

  test('without the guard, the old history no longer replays', async () => {
    const { history, workflowId } = load(patch, beforeFile);
    await expect(Worker.runReplayHistory({ workflowBundle: unguarded }, history, workflowId)).rejects.toThrow(DeterminismViolationError);
  });
});
