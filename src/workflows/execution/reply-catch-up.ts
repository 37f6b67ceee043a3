import { log, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { JsonObject } from '../../flow/context';
import type { InboundMessage, OutboundMessage } from '../../flow/effects';
import { interruptible, INTERRUPTED } from '../interruptible';
import { summary } from './summaries';

/** Gates the catch-up read; histories recorded before it replay without it. */
export const REPLY_CATCH_UP_PATCH = 'reply-catch-up';

/**
 * One read of the conversation: a couple of quick retries, then the widget goes on without it (a timeout stays a
 * timeout); it must not hold the widget for the minute Twilio calls are otherwise retried.
 */
const catchUpActivities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 3 },
});

/** The replies the execution has already had, by MessageSid (its Inbox). */
export interface ReplyLedger {
  hasSeen(messageSid: string): boolean;
  /** Records the reply as had; false when it was already. */
  claim(message: InboundMessage): boolean;
}

/** Why the widget reads back: a reply arrived past a gap in the conversation, or the wait ran out. */
export type CatchUpReason = 'gap' | 'timeout';

/**
 * A reply to the prompt `sent` that the webhook never brought (Twilio delivered it while the Temporal server was
 * down, and every retry failed), read back from the channel: the earliest contact message after the prompt that is
 * either `arrived` (the reply that woke the widget) or not yet had. A missed one found is claimed in `ledger`, so
 * a later webhook delivery of it is ignored. Undefined when there is nothing to take, the read failed, or the
 * execution's history predates this (patched).
 */
export async function catchUpReply(
  message: OutboundMessage,
  sent: JsonObject,
  ledger: ReplyLedger,
  reason: CatchUpReason,
  env: { readonly label: string; readonly interrupted: () => boolean },
  arrived?: InboundMessage,
): Promise<InboundMessage | undefined | typeof INTERRUPTED> {
  const read = readerFor(message, sent);
  if (!read || !patched(REPLY_CATCH_UP_PATCH)) return undefined;
  let replies: InboundMessage[] | typeof INTERRUPTED;
  try {
    replies = await interruptible(() => read(summary(env.label, `read back replies missed (${reason})`)), env.interrupted);
  } catch (err) {
    log.warn('could not read back the replies the webhook may have missed', { reason, error: String(err) });
    return undefined;
  }
  if (replies === INTERRUPTED) return INTERRUPTED;
  const earliest = replies.find((reply) => reply.MessageSid === arrived?.MessageSid || !ledger.hasSeen(reply.MessageSid));
  if (!earliest || earliest.MessageSid === arrived?.MessageSid) return undefined;
  ledger.claim(earliest);
  log.info('took a reply the webhook never delivered', { reason, messageSid: earliest.MessageSid, index: earliest.Index });
  return earliest;
}

/**
 * True when `reply` is not the next message after the prompt: messages in between were created, and the webhook
 * brought none of them (Conversations numbers a conversation's messages 0, 1, 2, … in creation order).
 */
export function arrivedAfterGap(message: OutboundMessage, sent: JsonObject, reply: InboundMessage): boolean {
  const prompt = promptIndex(message, sent);
  return prompt !== undefined && /^\d+$/.test(reply.Index) && Number(reply.Index) > prompt + 1;
}

/**
 * How to read the contact's messages after the prompt on the prompt's channel. Conversations: the conversation's
 * messages after the prompt's index. SMS replies are not taken yet; when they are, their reader goes here (the
 * Messaging API's messages from the contact to the flow's number, sent after the prompt's `date_created`).
 */
function readerFor(message: OutboundMessage, sent: JsonObject): ((summary: string) => Promise<InboundMessage[]>) | undefined {
  if (message.channel !== 'conversation') return undefined;
  const afterIndex = promptIndex(message, sent);
  if (afterIndex === undefined) return undefined;
  const { serviceSid, conversationSid } = message;
  return (action) => catchUpActivities.listConversationRepliesAfter.executeWithOptions({ summary: action }, [{ serviceSid, conversationSid, afterIndex }]);
}

/** The prompt's `index` in its conversation (the send activity's result, Twilio's message resource). */
function promptIndex(message: OutboundMessage, sent: JsonObject): number | undefined {
  if (message.channel !== 'conversation') return undefined;
  return typeof sent.index === 'number' && Number.isInteger(sent.index) ? sent.index : undefined;
}
