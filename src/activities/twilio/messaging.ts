import type { JsonObject } from '../../flow/context';
import { isSid } from '../../flow/sids';
import { plainResource } from './resources';
import { toTwilioFailure } from './twilio-failures';
import type { TwilioClient } from './twilio-client';

export interface SendSmsInput {
  readonly to: string;
  /** A phone number or sender ID, or a Messaging Service SID (MG…). */
  readonly from: string;
  readonly body: string;
  readonly mediaUrl: readonly string[];
}

/** Programmable Messaging, for send-message without a conversation. */
export function createMessagingActivities(twilio: TwilioClient) {
  return {
    /** Creates one message; returns the message resource. */
    async sendSmsMessage(input: SendSmsInput): Promise<JsonObject> {
      const sender = isSid(input.from, 'MG') ? { messagingServiceSid: input.from } : { from: input.from };
      try {
        const message = await twilio.messages.create({
          to: input.to,
          ...sender,
          ...(input.body !== '' ? { body: input.body } : {}),
          ...(input.mediaUrl.length > 0 ? { mediaUrl: [...input.mediaUrl] } : {}),
        });
        return plainResource(message);
      } catch (err) {
        throw toTwilioFailure(err, 'Sending the message failed');
      }
    },
  };
}
