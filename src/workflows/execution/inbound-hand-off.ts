import { CancellationScope, log } from '@temporalio/workflow';
import { twilioActivities } from './activity-proxies';
import { summary } from './summaries';

/**
 * The hand-off of a conversation that started the execution (incomingConversationMessage, DESIGN.md §8): the
 * conversation's webhooks pointing at this flow are removed, so neither this execution nor a new one hears it again;
 * Flex has it now. Runs even while the workflow is being cancelled. A removal that keeps failing is logged, not
 * raised: the hand-off itself is done.
 */
export async function removeFlowWebhooks(ref: { serviceSid?: string; conversationSid: string; flowSid: string }, label: string): Promise<void> {
  const action = summary(label, `remove ${ref.conversationSid}'s webhooks pointing at flow ${ref.flowSid}`);
  try {
    await CancellationScope.nonCancellable(() => twilioActivities.removeFlowWebhooks.executeWithOptions({ summary: action }, [ref]));
  } catch (err) {
    log.error('could not remove the conversation webhooks pointing at the flow', { ...ref, error: String(err) });
  }
}
