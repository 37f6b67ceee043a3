import type { JsonObject } from '../../flow/context';
import type { SendToFlexEffect } from '../../flow/effects';
import { isSid } from '../../flow/sids';
import { isRetry, wireResource } from './resources';
import { createInTwilio, refuseAfterUnknownOutcome } from './twilio-calls';
import { toTwilioFailure } from './twilio-failures';
import type { TwilioClient } from './twilio-client';

/** What send-to-flex asks Flex for; the webhook is the workflow's business. */
export type CreateFlexInteractionInput = Omit<SendToFlexEffect, 'kind' | 'serviceSid' | 'webhookSid'>;

/** Flex: hands a conversation to an agent. */
export function createFlexActivities(twilio: TwilioClient, workspaceSid: string | undefined) {
  return {
    /**
     * Creates the Flex Interaction (and so its TaskRouter task) with the conversation as its media channel. Flex
     * offers no way to find the interaction a lost attempt created (the Interactions API has no list, and binding a
     * conversation leaves no mark on it that names the interaction), so a retry after an attempt whose create may have
     * committed refuses instead (failedToEnqueue): a visible failure rather than two tasks for one contact.
     */
    async createFlexInteraction(input: CreateFlexInteractionInput): Promise<JsonObject> {
      if (isRetry()) await refuseAfterUnknownOutcome('The Flex interaction');
      const taskChannel = isSid(input.taskChannel, 'TC') ? { task_channel_sid: input.taskChannel } : { task_channel_unique_name: input.taskChannel };
      try {
        const create = () => twilio.flexApi.v1.interaction.create({
          channel: { type: input.channelType, initiated_by: 'customer', properties: { media_channel_sid: input.conversationSid } },
          routing: {
            properties: {
              ...(workspaceSid ? { workspace_sid: workspaceSid } : {}),
              workflow_sid: input.workflowSid,
              ...taskChannel,
              attributes: input.attributes,
              ...(input.priority !== undefined ? { priority: input.priority } : {}),
              ...(input.timeout !== undefined ? { timeout: input.timeout } : {}),
            },
          },
        });
        return wireResource(await createInTwilio(create));
      } catch (err) {
        throw toTwilioFailure(err, 'Creating the Flex interaction failed');
      }
    },
  };
}
