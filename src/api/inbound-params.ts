import type { ChannelContext, JsonObject } from '../flow/context';
import type { ConversationMessage, MessagingMessage } from '../flow/effects';
import { isSid } from '../flow/sids';
import { badRequest } from './api-error';
import type { Form } from './form';

/** What Twilio posted to a flow's webhook URL (DESIGN.md §8), told apart by its fields. */
export type FlowWebhook =
  | { readonly kind: 'messaging'; readonly message: MessagingMessage }
  | { readonly kind: 'conversation'; readonly fields: Readonly<Record<string, string>>; readonly eventType: string }
  | { readonly kind: 'voice'; readonly callSid: string };

/**
 * Reads a flow webhook's form: a voice webhook has a `CallSid`; a Conversations webhook an `EventType` and a
 * `ConversationSid`; a Programmable Messaging one (SMS, MMS, WhatsApp) a `MessageSid`, `From` and `To`. Anything else,
 * a field given twice, or an `AccountSid` other than the account's, is a 400 that says what is wrong.
 */
export function readFlowWebhook(form: Form, accountSid: string): FlowWebhook {
  const fields = singleValued(form);
  if (fields.AccountSid !== undefined && fields.AccountSid !== accountSid) {
    throw badRequest(`The webhook is for account ${fields.AccountSid}, not this one`);
  }
  if (fields.CallSid) return { kind: 'voice', callSid: fields.CallSid };
  if (fields.EventType !== undefined || fields.ConversationSid !== undefined) {
    const missing = ['EventType', 'ConversationSid', 'MessageSid', 'Author'].filter((name) => !fields[name]);
    if (fields.EventType === 'onMessageAdded' && missing.length > 0) throw badRequest(`Malformed onMessageAdded: missing ${missing.join(', ')}`);
    if (fields.ConversationSid && !isSid(fields.ConversationSid, 'CH')) throw badRequest(`Malformed onMessageAdded: ConversationSid ${JSON.stringify(fields.ConversationSid)} is not a conversation SID`);
    return { kind: 'conversation', fields, eventType: fields.EventType ?? '' };
  }
  const missing = ['MessageSid', 'From', 'To'].filter((name) => !fields[name]);
  if (missing.length > 0) {
    throw badRequest(`Not a Messaging, Conversations or Voice webhook: missing ${missing.join(', ')} (a Messaging webhook has MessageSid, From, To and Body)`);
  }
  const message = { ...fields, MessageSid: fields.MessageSid!, From: fields.From!, To: fields.To!, Body: fields.Body ?? '' };
  return { kind: 'messaging', message };
}

/** The conversation message as an execution's widgets see it (`inbound.*`), from the onMessageAdded fields. */
export function conversationMessage(fields: Readonly<Record<string, string>>): ConversationMessage {
  const field = (name: string) => fields[name] ?? '';
  return {
    MessageSid: field('MessageSid'),
    ConversationSid: field('ConversationSid'),
    Body: field('Body'),
    Author: field('Author'),
    ParticipantSid: field('ParticipantSid'),
    Index: field('Index'),
    Attributes: field('Attributes') || '{}',
    DateCreated: field('DateCreated'),
    Source: field('Source'),
  };
}

/**
 * `flow.channel` of an execution a conversation started: that conversation, active. `details` holds what the
 * webhook tells: the service, the Messaging Service, and the participant who wrote (an SMS or WhatsApp binding when
 * the author is a phone address, else a chat identity), so send-to-flex can name the channel type.
 */
export function inboundConversationChannel(fields: Readonly<Record<string, string>>): ChannelContext {
  const author = fields.Author ?? '';
  const bindingType = author.startsWith('whatsapp:') ? 'whatsapp' : /^\+\d+$/.test(author) ? 'sms' : undefined;
  const participant: JsonObject = bindingType
    ? { sid: fields.ParticipantSid ?? null, identity: null, messaging_binding: { type: bindingType, address: author } }
    : { sid: fields.ParticipantSid ?? null, identity: author, messaging_binding: null };
  const sid = fields.ConversationSid!;
  return {
    address: sid,
    sid,
    type: 'conversation',
    status: 'active',
    details: {
      chat_service_sid: fields.ChatServiceSid || null,
      messaging_service_sid: fields.MessagingServiceSid || null,
      participants: [participant],
    },
  };
}

function singleValued(form: Form): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(form)) {
    if (Array.isArray(value)) throw badRequest(`Malformed webhook: ${name} is given more than once`);
    if (typeof value === 'string') fields[name] = value;
    else if (value !== undefined) throw badRequest(`Malformed webhook: ${name} is not a plain value`);
  }
  return fields;
}
