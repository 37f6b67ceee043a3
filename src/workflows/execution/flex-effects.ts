import { ActivityFailure, ApplicationFailure, patched } from '@temporalio/workflow';
import { INBOUND_CHANNELS_PATCH } from './inbox';
import { TWILIO_FAILURE } from '../contracts/failure-types';
import type { EffectResult, SendToFlexEffect } from '../../flow/effects';
import { twilioActivities } from './activity-proxies';
import { activityFailure, removeWebhook } from './conversation-effects';
import { removeFlowWebhooks } from './inbound-hand-off';
import { summary } from './summaries';

/**
 * send-to-flex: creates the Flex Interaction, then removes the flow's webhook so the conversation's messages go to
 * the agent only. A refusal from Flex is `rejected` (failedToEnqueue); anything else is a plain failure.
 */
export async function sendToFlex(effect: SendToFlexEffect, label: string): Promise<EffectResult> {
  const { kind: _kind, serviceSid: _serviceSid, webhookSid: _webhookSid, flowWebhooksOf: _flowWebhooksOf, ...request } = effect;
  let interaction;
  try {
    const action = summary(label, `hand ${effect.conversationSid} to Flex (workflow ${effect.workflowSid})`);
    interaction = await twilioActivities.createFlexInteraction.executeWithOptions({ summary: action }, [request]);
  } catch (err) {
    const rejected = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === TWILIO_FAILURE.rejected;
    return { kind: 'flexFailed', rejected, error: activityFailure(err) };
  }
  if (effect.webhookSid) await removeWebhook({ serviceSid: effect.serviceSid, conversationSid: effect.conversationSid, webhookSid: effect.webhookSid }, label);
  if (effect.flowWebhooksOf && patched(INBOUND_CHANNELS_PATCH)) await removeFlowWebhooks({ serviceSid: effect.serviceSid, conversationSid: effect.conversationSid, flowSid: effect.flowWebhooksOf }, label);
  return { kind: 'flexEnqueued', interaction };
}
