import { Context } from '@temporalio/activity';
import type { MessageInstance } from 'twilio/lib/rest/api/v2010/account/message';
import type { JsonObject } from '../../flow/context';
import { isSid } from '../../flow/sids';
import { isRetry, plainResource } from './resources';
import { callTwilio, createInTwilio, findLostCreate } from './twilio-calls';
import { toTwilioFailure } from './twilio-failures';
import type { TwilioClient } from './twilio-client';

export interface SendSmsInput {
  readonly to: string;
  /** A phone number or sender ID, or a Messaging Service SID (MG…). */
  readonly from: string;
  readonly body: string;
  readonly mediaUrl: readonly string[];
  /** A Content template (`HX…`), sent as Twilio's `ContentSid`; Twilio renders it into the message. */
  readonly contentSid?: string;
  /** The template's variables, a JSON object as text (`ContentVariables`). */
  readonly contentVariables?: string;
}

/** How many of the contact's newest messages a retry reads when it looks for the one a lost attempt sent. */
const RECENT_MESSAGES = 50;

/** Programmable Messaging, for send-message without a conversation. */
export function createMessagingActivities(twilio: TwilioClient) {
  return {
    /**
     * Creates one message; returns the message resource. A retry first looks for the message a lost attempt may have
     * sent (same sender, recipient and body, sent since this activity was first scheduled) and returns it instead of
     * sending again; nothing is added to the message to recognise it, the contact sees exactly what the flow wrote.
     */
    async sendSmsMessage(input: SendSmsInput): Promise<JsonObject> {
      const sender = isSid(input.from, 'MG') ? { messagingServiceSid: input.from } : { from: input.from };
      try {
        if (isRetry()) {
          const sent = await findLostCreate(() => findSent(twilio, input));
          if (sent) return plainResource(sent);
        }
        const message = await createInTwilio(() =>
          twilio.messages.create({
            to: input.to,
            ...sender,
            ...(input.body !== '' ? { body: input.body } : {}),
            ...(input.mediaUrl.length > 0 ? { mediaUrl: [...input.mediaUrl] } : {}),
            ...(input.contentSid ? { contentSid: input.contentSid } : {}),
            ...(input.contentVariables !== undefined ? { contentVariables: input.contentVariables } : {}),
          }),
        );
        return plainResource(message);
      } catch (err) {
        throw toTwilioFailure(err, 'Sending the message failed');
      }
    },
  };
}

/**
 * The message an earlier attempt of this activity sent, if any: Twilio's Message list filtered by `To`, `From` (a
 * Messaging Service picks its own sender, so then by `messaging_service_sid`) and `DateSent` on or after the second
 * the activity was first scheduled (Temporal's `scheduledTimestampMs`, the same for every attempt), with the same body.
 * Assumes the worker's clock and Twilio's agree to within a second.
 */
async function findSent(twilio: TwilioClient, input: SendSmsInput): Promise<MessageInstance | undefined> {
  const since = new Date(Math.floor(Context.current().info.scheduledTimestampMs / 1000) * 1000);
  const viaService = isSid(input.from, 'MG');
  const recent = await callTwilio(() =>
    twilio.messages.list({ to: input.to, ...(viaService ? {} : { from: input.from }), dateSentAfter: since, pageSize: RECENT_MESSAGES, limit: RECENT_MESSAGES }),
  );
  // Twilio renders a Content template into the body, so a template message's body cannot be compared.
  const sameBody = (m: MessageInstance) => (input.contentSid ? true : (m.body ?? '') === input.body);
  return recent.find(
    (m) => (viaService ? m.messagingServiceSid === input.from : m.from === input.from) && sameBody(m) && Number(m.numMedia) === input.mediaUrl.length,
  );
}
