import { condition, patched, sleep } from '@temporalio/workflow';
import type { JsonObject } from '../../flow/context';
import type { Effect, EffectResult, HttpEffect, MessageContent, SendMessageEffect } from '../../flow/effects';
import { interruptible, INTERRUPTED } from '../interruptible';
import { httpActivities, twilioActivities } from './activity-proxies';
import { activityFailure, startConversation } from './conversation-effects';
import { arrivedAfterGap, catchUpReply, type ReplyLedger } from './reply-catch-up';
import { sendToFlex } from './flex-effects';
import type { Inbox } from './inbox';
import { runSubflow, type SubflowHost } from './subflow-effects';
import { summary, urlForSummary } from './summaries';

/** What running an effect can end in besides its result: Status=ended arrived, or the execution's lifetime ran out. */
export type EffectOutcome =
  | EffectResult
  /** `completed`: the effect had finished anyway (its result must still be recorded before the execution ends). */
  | { readonly kind: 'interrupted'; readonly completed?: EffectResult }
  | { readonly kind: 'expired' };

export interface EffectEnvironment {
  /** The execution, for effects that start a subflow. */
  readonly host: SubflowHost;
  /**
   * Replies delivered by the webhook while the current widget waits (peek, take), and every reply the execution has
   * had, for a widget reading back what the webhook missed.
   */
  readonly inbox: Pick<Inbox, 'peek' | 'take'> & ReplyLedger;
  /** True once the execution must stop what it is doing (Status=ended). */
  readonly interrupted: () => boolean;
  /** Epoch milliseconds when the execution's lifetime ends. */
  readonly deadline: number;
  /** The widget running the effect, for the summaries the Temporal UI shows (see summaries.ts). */
  readonly label: string;
}

/** Carries out one effect with activities and timers; a failed call becomes the widget's failure result. */
export async function runEffect(effect: Effect, env: EffectEnvironment): Promise<EffectOutcome> {
  switch (effect.kind) {
    case 'http':
      return runHttp(effect, env);
    case 'sendMessage':
      return runSendMessage(effect, env);
    case 'startConversation':
    case 'sendToFlex': {
      // Not interruptible half way: a conversation must end up complete or deleted, a hand-off done or not.
      const result = effect.kind === 'startConversation' ? await startConversation(effect, env.label) : await sendToFlex(effect, env.label);
      return env.interrupted() ? { kind: 'interrupted', completed: result } : result;
    }
    case 'runSubflow':
      return runSubflow(effect, env.host, env.interrupted, env.label);
    case 'resumeLater':
      // The shortest timer ends this workflow task; the widget runs in the next, with a fresh share of work.
      await sleep(1);
      return env.interrupted() ? { kind: 'interrupted' } : { kind: 'resumedLater' };
  }
}

async function runHttp(effect: HttpEffect, env: EffectEnvironment): Promise<EffectOutcome> {
  const { kind: _kind, ...request } = effect;
  try {
    const action = summary(env.label, `${request.method} ${urlForSummary(request.url)}`);
    const response = await interruptible(() => httpActivities.sendHttpRequest.executeWithOptions({ summary: action }, [request]), env.interrupted);
    if (response === INTERRUPTED) return { kind: 'interrupted' };
    return studioParsing() ? { kind: 'http', response } : { kind: 'http', response, legacyParsing: true };
  } catch (err) {
    return { kind: 'http', response: { ok: false, error: activityFailure(err).message } };
  }
}

/** Gates Studio's parsing rule for HTTP answers (http-output.ts); histories recorded before it replay as they ran. */
export const HTTP_PARSING_PATCH = 'http-parse-json-objects';

function studioParsing(): boolean {
  return patched(HTTP_PARSING_PATCH);
}

async function runSendMessage(effect: SendMessageEffect, env: EffectEnvironment): Promise<EffectOutcome> {
  const { message } = effect;
  if (message.channel === 'conversation' && message.mediaUrl.length > 0 && patched(CONVERSATION_MEDIA_PATCH)) {
    return { kind: 'messageFailed', error: { message: CONVERSATION_MEDIA_REFUSED } };
  }
  let sent: JsonObject | typeof INTERRUPTED;
  try {
    sent = await interruptible(() => send(effect, env.label), env.interrupted);
  } catch (err) {
    return { kind: 'messageFailed', error: activityFailure(err) };
  }
  if (sent === INTERRUPTED) return { kind: 'interrupted' };
  if (!effect.awaitReply) return { kind: 'messageSent', message: sent };
  const waitMs = Math.min(effect.awaitReply.timeoutSeconds * 1000, env.deadline - Date.now());
  const waiting = summary(env.label, `wait up to ${effect.awaitReply.timeoutSeconds} s for a reply`);
  const woke = await condition(() => env.inbox.peek() !== undefined || env.interrupted(), Math.max(waitMs, 0), { summary: waiting });
  if (env.interrupted()) return { kind: 'interrupted' };
  if (!woke && Date.now() >= env.deadline) return { kind: 'expired' };
  // After a gap (a reply past the next index, or no reply at all) the webhook may have missed the contact's reply
  // during a Temporal outage: read the conversation back once and take the earliest one the webhook never brought.
  const arrived = env.inbox.peek();
  if (!woke || (arrived !== undefined && arrivedAfterGap(effect.message, sent, arrived))) {
    const missed = await catchUpReply(effect.message, sent, env.inbox, woke ? 'gap' : 'timeout', env, arrived);
    if (missed === INTERRUPTED) return { kind: 'interrupted' };
    // A missed reply is the answer; whatever the webhook brought after it is ignored like any later reply (81002).
    if (missed) return { kind: 'reply', sent, reply: missed };
  }
  const reply = env.inbox.take(); // a timed-out wait may have had one arrive during the read
  return reply ? { kind: 'reply', sent, reply } : { kind: 'replyTimeout', sent };
}

function send(effect: SendMessageEffect, label: string): Promise<JsonObject> {
  const { message } = effect;
  if (message.channel === 'sms') {
    const sms = { to: message.to, from: message.from, body: message.body, mediaUrl: message.mediaUrl, ...contentInput(message.content) };
    return twilioActivities.sendSmsMessage.executeWithOptions({ summary: summary(label, `send SMS to ${message.to}`) }, [sms]);
  }
  const { serviceSid, conversationSid, body, attributes, idempotencyKey } = message;
  return twilioActivities.sendConversationMessage.executeWithOptions({ summary: summary(label, `send message into ${conversationSid}`) }, [
    { serviceSid, conversationSid, body, attributes, idempotencyKey, ...contentInput(message.content) },
  ]);
}

/** The activities' `contentSid`/`contentVariables` (Twilio's ContentSid/ContentVariables), when a template is set. */
function contentInput(content: MessageContent | undefined): { contentSid?: string; contentVariables?: string } {
  if (!content) return {};
  return content.variables === undefined ? { contentSid: content.sid } : { contentSid: content.sid, contentVariables: content.variables };
}

/** Since this patch, a conversation message with media fails with CONVERSATION_MEDIA_REFUSED instead of going out without it. */
export const CONVERSATION_MEDIA_PATCH = 'conversation-media-refused';

/**
 * Why a conversation message with `media_url` is not sent. A Conversations message takes media only as a `MediaSid`,
 * a file uploaded to Twilio's Media Content Service first, which the product does not do; sending the text alone would
 * drop what the flow configured without a word.
 */
export const CONVERSATION_MEDIA_REFUSED =
  'media_url cannot be sent into a conversation: Conversations take media only as uploads to Twilio’s Media Content Service (MediaSid), which studio-temporal does not make; send the media over Programmable Messaging, or a link in the body';
