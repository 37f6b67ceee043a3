import type { JsonObject } from '../../flow/context';
import { type ConversationRef, conversationApis, MARKER_KEY } from './conversations';
import { isRetry, markerIn, wireResource, withMarker } from './resources';
import { toTwilioFailure } from './twilio-failures';
import { callTwilio, createInTwilio, waitOutLostCreates } from './twilio-calls';
import type { TwilioClient } from './twilio-client';

export interface SendConversationMessageInput extends ConversationRef {
  readonly body: string;
  /** The widget's `attributes`, a JSON object as text. */
  readonly attributes?: string;
  /** A Content template (`HX…`) and its variables (JSON text): Twilio's ContentSid/ContentVariables. */
  readonly contentSid?: string;
  readonly contentVariables?: string;
  /** Same on every retry of one widget run: a retry finds the message the lost attempt created. */
  readonly idempotencyKey: string;
}

/** How far back a retry looks for the message its lost attempt may have created. */
const RECENT_MESSAGES = 50;

/** Messages the flow sends into its conversation, as the configured author. */
export function createConversationMessageActivities(twilio: TwilioClient, defaultServiceSid: string | undefined, author: string) {
  const apis = conversationApis(twilio, defaultServiceSid);
  return {
    /**
     * Sends one message. Created without X-Twilio-Webhook-Enabled, so it fires no webhook back at the flow; marked
     * in its attributes, so a retry never delivers the same message twice.
     */
    async sendConversationMessage(input: SendConversationMessageInput): Promise<JsonObject> {
      const messages = apis(input.serviceSid).conversation(input.conversationSid).messages;
      try {
        if (isRetry()) {
          await waitOutLostCreates();
          const recent = await callTwilio(() => messages.list({ order: 'desc', pageSize: RECENT_MESSAGES, limit: RECENT_MESSAGES }));
          const sent = recent.find((m) => (markerIn(m.attributes, MARKER_KEY) as JsonObject | undefined)?.message_key === input.idempotencyKey);
          if (sent) return wireResource(sent);
        }
        const attributes = withMarker(input.attributes, { [MARKER_KEY]: { message_key: input.idempotencyKey } });
        const content = input.contentSid ? { contentSid: input.contentSid, ...(input.contentVariables !== undefined ? { contentVariables: input.contentVariables } : {}) } : {};
        const created = await createInTwilio(() => messages.create({ author, body: input.body, attributes, ...content }));
        return wireResource(created);
      } catch (err) {
        throw toTwilioFailure(err, 'Sending the message into the conversation failed');
      }
    },
  };
}
