import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { TWILIO_FAILURE } from '../../temporal/failure-types';
import type { EffectResult, SendToFlexEffect } from '../../flow/effects';
import { twilioActivities } from './activity-proxies';
import { activityFailure, removeWebhook } from './conversation-effects';

/**
 * send-to-flex: creates the Flex Interaction, then removes the flow's webhook so the conversation's messages go to
 * the agent only. A refusal from Flex is `rejected` (failedToEnqueue); anything else is a plain failure.
 */
export async function sendToFlex(effect: SendToFlexEffect): Promise<EffectResult> {
  const { kind: _kind, serviceSid: _serviceSid, webhookSid: _webhookSid, ...request } = effect;
  let interaction;
  try {
    interaction = await twilioActivities.createFlexInteraction(request);
  } catch (err) {
    const rejected = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === TWILIO_FAILURE.rejected;
    return { kind: 'flexFailed', rejected, error: activityFailure(err) };
  }
  if (effect.webhookSid) await removeWebhook({ serviceSid: effect.serviceSid, conversationSid: effect.conversationSid, webhookSid: effect.webhookSid });
  return { kind: 'flexEnqueued', interaction };
}
