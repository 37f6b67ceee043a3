import { ActivityFailure, ApplicationFailure, CancellationScope, log } from '@temporalio/workflow';
import type { TwilioFailureDetails } from '../contracts/failure-types';
import type { JsonObject } from '../../flow/context';
import type { ConversationStage, EffectFailure, EffectResult, StartConversationEffect } from '../../flow/effects';
import { twilioActivities } from './activity-proxies';
import { summary } from './summaries';

/**
 * start-conversation's three Twilio calls, each its own activity (so progress is durable and each is retried on
 * its own, exactly once: see src/activities/twilio/conversations.ts). A participant or webhook that cannot be created
 * deletes the conversation again, so a failed widget leaves nothing behind.
 */
export async function startConversation(effect: StartConversationEffect, label: string): Promise<EffectResult> {
  const { serviceSid } = effect;
  const { createConversation, addConversationParticipant, addConversationWebhook, deleteConversation } = twilioActivities;
  let conversation: JsonObject;
  try {
    conversation = await createConversation.executeWithOptions({ summary: summary(label, 'create conversation') }, [
      { ...effect.conversation, serviceSid, executionSid: effect.executionSid, runId: effect.runId },
    ]);
  } catch (err) {
    return failedAt('conversation', err);
  }
  const conversationSid = String(conversation.sid);
  const ref = { serviceSid, conversationSid };
  let stage: ConversationStage = 'participant';
  try {
    const who = effect.participant.address ?? effect.participant.identity ?? 'participant';
    const participant = await addConversationParticipant.executeWithOptions({ summary: summary(label, `add ${who} to ${conversationSid}`) }, [
      { ...ref, ...effect.participant },
    ]);
    stage = 'webhook';
    const webhook = await addConversationWebhook.executeWithOptions({ summary: summary(label, `add onMessageAdded webhook to ${conversationSid}`) }, [
      { ...ref, executionSid: effect.executionSid },
    ]);
    return { kind: 'conversationStarted', conversation, participant, webhook };
  } catch (err) {
    const result = failedAt(stage, err);
    const undo = summary(label, `delete ${conversationSid} (the ${stage} could not be created)`);
    await CancellationScope.nonCancellable(() => deleteConversation.executeWithOptions({ summary: undo }, [ref]));
    return result;
  }
}

/**
 * Removes the execution's webhook from its conversation; runs even while the workflow is being cancelled. A webhook
 * that cannot be removed (after the activity's retries) is logged, not raised: the execution still ends or hands off.
 */
export async function removeWebhook(ref: { serviceSid?: string; conversationSid: string; webhookSid: string }, label: string): Promise<void> {
  const action = summary(label, `remove webhook ${ref.webhookSid} from ${ref.conversationSid}`);
  try {
    await CancellationScope.nonCancellable(() => twilioActivities.removeConversationWebhook.executeWithOptions({ summary: action }, [ref]));
  } catch (err) {
    log.error('could not remove the conversation webhook', { ...ref, error: String(err) });
  }
}

function failedAt(stage: ConversationStage, err: unknown): EffectResult {
  return { kind: 'conversationFailed', stage, error: activityFailure(err) };
}

/** The reason an activity failed, with Twilio's code when Twilio refused; anything else is not ours to absorb. */
export function activityFailure(err: unknown): EffectFailure {
  if (!(err instanceof ActivityFailure)) throw err;
  const cause = err.cause;
  if (cause instanceof ApplicationFailure) {
    const details = cause.details?.[0] as TwilioFailureDetails | undefined;
    return { code: details?.code, message: details?.message ?? cause.message };
  }
  return { message: cause?.message ?? err.message };
}
