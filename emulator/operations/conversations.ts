import { invalidParameter, TwilioError } from '../errors';
import { one, type Params } from '../params';
import type { ConversationFields, ConversationRecord, ConversationState } from '../records';
import { isSid, newSid } from '../sids';
import type { Store } from '../store';
import { durationSeconds } from '../time';
import { type Check, jsonText, maxLength, optionalParam, sidOf } from '../validate';

const STATES: readonly ConversationState[] = ['active', 'inactive', 'closed'];

/** Creates a conversation in `serviceSid` from create params, enforcing Twilio's documented rules. */
export function createConversation(store: Store, serviceSid: string, params: Params): ConversationRecord {
  const now = new Date();
  const defaults: ConversationFields = {
    friendlyName: null,
    uniqueName: null,
    attributes: '{}',
    messagingServiceSid: null,
    state: 'active',
    timers: {},
    emailBinding: null,
    dateUpdated: now,
  };
  const conversation: ConversationRecord = {
    ...defaults,
    ...changesFrom(store, serviceSid, params, defaults, now),
    sid: newSid('CH'),
    serviceSid,
    dateCreated: now,
    participants: new Map(),
    webhooks: new Map(),
    messages: [],
    nextMessageIndex: 0,
  };
  store.conversations.set(conversation.sid, conversation);
  return conversation;
}

/** Applies update params (the same fields as create) to `conversation`; absent params leave fields as they are. */
export function updateConversation(store: Store, conversation: ConversationRecord, params: Params): void {
  const now = new Date();
  Object.assign(conversation, changesFrom(store, conversation.serviceSid, params, conversation, now, conversation.sid));
  conversation.dateUpdated = now;
}

function changesFrom(
  store: Store,
  serviceSid: string,
  params: Params,
  current: ConversationFields,
  now: Date,
  selfSid?: string,
): Partial<ConversationFields> {
  const changes: Partial<ConversationFields> = {
    attributes: optionalParam(params, 'Attributes', jsonText) ?? current.attributes,
    timers: { ...current.timers, ...timersFrom(params, now) },
  };
  const set = <K extends keyof ConversationFields>(key: K, name: string, check: Check<ConversationFields[K]>) => {
    const value = optionalParam(params, name, check);
    if (value !== null) changes[key] = value;
  };
  set('friendlyName', 'FriendlyName', maxLength(256));
  set('uniqueName', 'UniqueName', uniqueNameCheck(store, serviceSid, selfSid));
  set('messagingServiceSid', 'MessagingServiceSid', sidOf('MG'));
  set('state', 'State', stateCheck);
  const email = { address: one(params, 'Bindings.Email.Address'), name: one(params, 'Bindings.Email.Name') };
  if (email.address !== undefined || email.name !== undefined) {
    changes.emailBinding = {
      address: email.address ?? current.emailBinding?.address ?? null,
      name: email.name ?? current.emailBinding?.name ?? null,
    };
  }
  return changes;
}

function uniqueNameCheck(store: Store, serviceSid: string, selfSid?: string): Check<string> {
  return (uniqueName, name) => {
    if (isSid(uniqueName, 'CH')) {
      throw new TwilioError(400, 50390, 'Unique name must not have the format of a Conversation SID');
    }
    const holder = store.findConversation(serviceSid, uniqueName);
    if (holder && holder.sid !== selfSid) {
      throw new TwilioError(409, 50353, `Conversation with unique name ${uniqueName} already exists`);
    }
    return maxLength(256)(uniqueName, name);
  };
}

/** `State`: one of active, inactive, closed (also the list filter). */
export const stateCheck: Check<ConversationState> = (value, name) => {
  const state = STATES.find((s) => s === value);
  if (!state) throw invalidParameter(name, `must be one of ${STATES.join(', ')}`);
  return state;
};

function timersFrom(params: Params, now: Date): ConversationFields['timers'] {
  const after = (seconds: number | null) => (seconds === null ? undefined : new Date(now.getTime() + seconds * 1000));
  const dateInactive = after(optionalParam(params, 'Timers.Inactive', minDuration(60)));
  const dateClosed = after(optionalParam(params, 'Timers.Closed', minDuration(600)));
  return { ...(dateInactive && { dateInactive }), ...(dateClosed && { dateClosed }) };
}

function minDuration(minSeconds: number): Check<number> {
  return (value, name) => {
    const seconds = durationSeconds(name, value);
    if (seconds < minSeconds) throw invalidParameter(name, `must be at least ${minSeconds / 60} minute(s)`);
    return seconds;
  };
}
