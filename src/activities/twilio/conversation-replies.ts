import { heartbeat } from '@temporalio/activity';
import type { InboundMessage } from '../../flow/effects';
import { type ConversationRef, conversationApis } from './conversations';
import { toTwilioFailure } from './twilio-failures';
import type { TwilioClient } from './twilio-client';

export interface ConversationRepliesInput extends ConversationRef {
  /** The prompt's `index` in its conversation: only messages after it are replies to it. */
  readonly afterIndex: number;
}

/** Twilio's largest page of a conversation's messages. */
const PAGE_SIZE = 100;
/** A reader of what a short outage hid needs a few messages; this bounds the read of a busy conversation. */
const MOST_MESSAGES_READ = 500;
/** Well inside the catch-up activities' heartbeat timeout, so a slow page never looks like a lost worker. */
const HEARTBEAT_EVERY_MS = 2_000;

/**
 * Reading back what the contact said in the execution's conversation, for a waiting widget that may have missed a
 * webhook (the Temporal server was down when Twilio delivered it). Marker-free: a contact message is one not authored
 * by the flow's configured author (FLOW_MESSAGE_AUTHOR), created after the prompt (a higher `index`, which
 * Conversations numbers in creation order).
 */
export function createConversationReplyActivities(twilio: TwilioClient, defaultServiceSid: string | undefined, flowAuthor: string) {
  const apis = conversationApis(twilio, defaultServiceSid);
  return {
    /**
     * The conversation's contact messages after `afterIndex`, oldest first, shaped as the onMessageAdded webhook
     * delivers them (`Source` is empty: the message resource does not say). Reads newest first, page by page, until
     * it passes the prompt or has read {@link MOST_MESSAGES_READ}; heartbeats while each page is in flight.
     */
    async listConversationRepliesAfter(input: ConversationRepliesInput): Promise<InboundMessage[]> {
      const messages = apis(input.serviceSid).conversation(input.conversationSid).messages;
      const replies: InboundMessage[] = [];
      try {
        let page: MessagesPage = await heartbeating(messages.page({ order: 'desc', pageSize: PAGE_SIZE }));
        for (let read = 0; ; ) {
          for (const message of page.instances) {
            if (message.index <= input.afterIndex) return replies.reverse();
            if (message.author !== flowAuthor) replies.push(inboundMessage(message, input.conversationSid));
          }
          read += page.instances.length;
          const next = read < MOST_MESSAGES_READ ? page.nextPage() : undefined;
          if (!next) return replies.reverse();
          page = await heartbeating(next);
        }
      } catch (err) {
        throw toTwilioFailure(err, 'Reading the conversation messages failed');
      }
    },
  };
}

/** What the reader uses of the twilio client's message page (the service-scoped and plain pages differ in type only). */
interface MessagesPage {
  readonly instances: readonly ConversationMessage[];
  nextPage(): Promise<MessagesPage> | undefined;
}

interface ConversationMessage {
  readonly sid: string;
  readonly conversationSid: string;
  readonly body: string | null;
  readonly author: string;
  readonly participantSid: string | null;
  readonly index: number;
  readonly attributes: string | null;
  readonly dateCreated: Date | null;
}

function inboundMessage(message: ConversationMessage, conversationSid: string): InboundMessage {
  return {
    MessageSid: message.sid,
    ConversationSid: message.conversationSid || conversationSid,
    Body: message.body ?? '',
    Author: message.author,
    ParticipantSid: message.participantSid ?? '',
    Index: String(message.index),
    Attributes: message.attributes || '{}',
    DateCreated: message.dateCreated ? message.dateCreated.toISOString() : '',
    Source: '',
  };
}

/** Heartbeats now and every {@link HEARTBEAT_EVERY_MS} until `call` settles. */
async function heartbeating<T>(call: Promise<T>): Promise<T> {
  heartbeat();
  const timer = setInterval(() => heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    return await call;
  } finally {
    clearInterval(timer);
  }
}
