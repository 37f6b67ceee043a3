import { patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { type ChannelContext, conversationIds, type JsonObject } from '../../flow/context';
import { amendLastStep, closeChannel, type ExecutionState } from '../../flow/execution-state';
import { conversationSidKey } from '../contracts/search-attributes';
import { removeWebhook } from './conversation-effects';
import { EXECUTION_LABEL } from './summaries';
import { SUBFLOW_HAND_OFF_PATCH } from './subflow-patches';

/**
 * However the execution ended, its conversation stops being its channel: the webhook is removed (the conversation
 * itself stays, under its own timers) and `flow.channel.status` becomes `ended` (`handed_off` when a subflow still
 * running handed it to Flex).
 */
export async function cleanUp(ended: ExecutionState, childChannel?: ChannelContext): Promise<ExecutionState> {
  let state = ended;
  if (state.context.flow.channel.type !== 'conversation' && childChannel?.type === 'conversation') {
    // A subflow that never returned (the execution ended while it waited) started it: it is this execution's too.
    state = amendLastStep(state, [{ path: ['flow', 'channel'], value: childChannel as unknown as JsonObject }]);
  }
  const channel = state.context.flow.channel;
  if (channel.type !== 'conversation' || channel.status !== 'active' || !channel.sid) return state;
  if (childChannel?.sid === channel.sid && childChannel.status === 'handed_off' && patched(SUBFLOW_HAND_OFF_PATCH)) {
    // The subflow handed this conversation to Flex (and removed the webhook) before the execution ended around it.
    return closeChannel(state, 'handed_off');
  }
  const { serviceSid, webhookSid } = conversationIds(channel);
  if (webhookSid) await removeWebhook({ serviceSid, conversationSid: channel.sid, webhookSid }, `${EXECUTION_LABEL} ended`);
  return closeChannel(state, 'ended');
}

/** Operators find an execution by its conversation (search attribute ConversationSid) once it has one. */
export function publishConversation(state: ExecutionState): void {
  const sid = state.context.flow.channel.sid;
  if (sid && workflowInfo().typedSearchAttributes.get(conversationSidKey) !== sid) {
    upsertSearchAttributes([{ key: conversationSidKey, value: sid }]);
  }
}
