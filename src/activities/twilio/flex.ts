import type { JsonObject } from '../../flow/context';
import type { SendToFlexEffect } from '../../flow/effects';
import { isSid } from '../../flow/sids';
import { wireResource } from './resources';
import { toTwilioFailure } from './twilio-failures';
import type { TwilioClient } from './twilio-client';

/** What send-to-flex asks Flex for; the webhook is the workflow's business. */
export type CreateFlexInteractionInput = Omit<SendToFlexEffect, 'kind' | 'serviceSid' | 'webhookSid'>;

/** Flex: hands a conversation to an agent. */
export function createFlexActivities(twilio: TwilioClient, workspaceSid: string | undefined) {
  return {
    /** Creates the Flex Interaction (and so its TaskRouter task) with the conversation as its media channel. */
    async createFlexInteraction(input: CreateFlexInteractionInput): Promise<JsonObject> {
      const taskChannel = isSid(input.taskChannel, 'TC') ? { task_channel_sid: input.taskChannel } : { task_channel_unique_name: input.taskChannel };
      try {
        const interaction = await twilio.flexApi.v1.interaction.create({
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
        return wireResource(interaction);
      } catch (err) {
        throw toTwilioFailure(err, 'Creating the Flex interaction failed');
      }
    },
  };
}
