import type { JsonObject } from '../../flow/context';
import { type ConversationRef, conversationApis } from './conversations';
import { configuredAttributes, createdSince, isRetry, sameAttributes, wireResource } from './resources';
import { toTwilioFailure } from './twilio-failures';
import { callTwilio, createInTwilio, earliestCreate, findLostCreate } from './twilio-calls';
import type { TwilioClient } from './twilio-client';

export interface SendConversationMessageInput extends ConversationRef {
  readonly body: string;
  /** The widget's `attributes`, a JSON object as text. */
  readonly attributes?: string;
  /** A Content template (`HX…`) and its variables (JSON text): Twilio's ContentSid/ContentVariables. */
  readonly contentSid?: string;
  readonly contentVariables?: string;
  /** Names the widget run in the activity's input (its summary and the history); Twilio never sees it. */
  readonly idempotencyKey: string;
}

/** How far back a retry looks for the message its lost attempt may have created. */
const RECENT_MESSAGES = 50;

/** Messages the flow sends into its conversation, as the configured author. */
export function createConversationMessageActivities(twilio: TwilioClient, defaultServiceSid: string | undefined, author: string) {
  const apis = conversationApis(twilio, defaultServiceSid);
  return {
    /**
     * Sends one message, carrying exactly the body and attributes the widget configured. Created without
     * X-Twilio-Webhook-Enabled, so it fires no webhook back at the flow. A retry first looks for the message a lost
     * attempt may have made (see {@link findSent} and findLostCreate) and returns it instead of sending again.
     */
    async sendConversationMessage(input: SendConversationMessageInput): Promise<JsonObject> {
      const messages = apis(input.serviceSid).conversation(input.conversationSid).messages;
      const attributes = configuredAttributes(input.attributes);
      try {
        if (isRetry()) {
          const sent = await findLostCreate(async () => {
            const recent = await callTwilio(() => messages.list({ order: 'desc', pageSize: RECENT_MESSAGES, limit: RECENT_MESSAGES }));
            return findSent(recent, { author, body: input.body, attributes }, earliestCreate());
          });
          if (sent) return wireResource(sent);
        }
        const content = input.contentSid ? { contentSid: input.contentSid, ...(input.contentVariables !== undefined ? { contentVariables: input.contentVariables } : {}) } : {};
        const created = await createInTwilio(() => messages.create({ author, body: input.body, attributes, ...content }));
        return wireResource(created);
      } catch (err) {
        throw toTwilioFailure(err, 'Sending the message into the conversation failed');
      }
    },
  };
}

/** What a retry compares of a message (the client's instance, camelCase). */
interface SentMessage {
  readonly author: string | null;
  readonly body: string | null;
  readonly attributes: string | null;
  readonly dateCreated: Date | null;
}

/**
 * The message an earlier attempt sent, among the conversation's newest (`recent`, newest first): the newest by the
 * flow's author with the same body and attributes, created since the activity first sent its create (whole seconds,
 * Twilio's precision). Conversations documents no idempotency key on message creates, so this is how a retry knows.
 * The one case it cannot tell apart: the flow sent the same text moments before (within the same second this
 * activity started) and this activity's earlier attempt never reached Twilio; then the retry takes the earlier
 * message for its own (README, "Exactly once without markers").
 */
function findSent<M extends SentMessage>(
  recent: readonly M[],
  wanted: { readonly author: string; readonly body: string; readonly attributes?: string },
  since: Date,
): M | undefined {
  return recent.find(
    (m) => m.author === wanted.author && (m.body ?? '') === wanted.body && sameAttributes(m.attributes, wanted.attributes) && createdSince(m.dateCreated, since),
  );
}
