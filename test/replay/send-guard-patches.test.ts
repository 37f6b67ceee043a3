import type { temporal } from '@temporalio/proto';
import { DeterminismViolationError } from '@temporalio/workflow';
import { CONVERSATION_MEDIA_PATCH } from '../../src/workflows/execution/effect-runner';
import { SUBFLOW_HAND_OFF_PATCH } from '../../src/workflows/execution/subflow-patches';
import { bundlePatchProof, patchHistory, replay } from './patch-proof';

/** The commands a history holds that these patches change: activities by type, and signals to another workflow. */
function commands(history: temporal.api.history.v1.IHistory): string[] {
  return (history.events ?? []).flatMap((event) => {
    if (event.signalExternalWorkflowExecutionInitiatedEventAttributes) return ['signal parent'];
    return event.activityTaskScheduledEventAttributes?.activityType?.name ?? [];
  });
}

const CONVERSATION = ['createConversation', 'addConversationParticipant', 'addConversationWebhook'];

beforeAll(bundlePatchProof, 60_000);

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
  const [beforeFile, afterFile] = files as [string, string];

  test('the recordings hold the old and the new commands', () => {
    expect(commands(patchHistory(patch, beforeFile).history)).toEqual(before);
    expect(commands(patchHistory(patch, afterFile).history)).toEqual(after);
  });

  test('both histories replay against today’s code', async () => {
    for (const file of files) {
      await expect(replay('today', patchHistory(patch, file))).resolves.toBeUndefined();
    }
  });

  test('without the guard, the old history no longer replays', async () => {
    await expect(replay('unguarded', patchHistory(patch, beforeFile))).rejects.toThrow(DeterminismViolationError);
  });
});
