import type { Request } from 'express';
import { resourceNotFound } from './errors';
import { pathParam } from './params';
import type { ConversationRecord, ServiceRecord } from './records';
import type { Store } from './store';

/** Conversations resources live on this domain; the client factory rebases it onto the emulator. */
export const CONVERSATIONS_ORIGIN = 'https://conversations.twilio.com';

/**
 * Which path family a request came through. Both address the same state; they differ only in the URLs
 * the resources print and in `chat_service_sid` appearing on service-path sub-resources (as in the OAI).
 */
export interface Scope {
  readonly accountSid: string;
  readonly service: ServiceRecord;
  readonly servicePath: boolean;
}

/** What scope resolution reads. */
export interface ScopeDeps {
  readonly store: Store;
  readonly accountSid: string;
}

/** The request's scope: `/v1/Services/{ChatServiceSid}/…` names a service, `/v1/Conversations/…` means the default. */
export function resolveScope({ store, accountSid }: ScopeDeps, req: Request): Scope {
  const serviceSid = req.params.ChatServiceSid;
  if (typeof serviceSid !== 'string') {
    return { accountSid, service: requireService(store, store.defaultServiceSid), servicePath: false };
  }
  return { accountSid, service: requireService(store, serviceSid), servicePath: true };
}

/** The scope and the conversation that `:ConversationSid` (SID or unique name) names, or 404. */
export function resolveConversation(deps: ScopeDeps, req: Request): { scope: Scope; conversation: ConversationRecord } {
  const scope = resolveScope(deps, req);
  return { scope, conversation: requireConversation(deps.store, scope, pathParam(req, 'ConversationSid')) };
}

/** The conversation and its sub-resource (in `collection`) that `:Sid` names, or 404. */
export function resolveChild<T extends { sid: string }>(
  deps: ScopeDeps,
  req: Request,
  collection: 'Participants' | 'Webhooks' | 'Messages',
  itemsOf: (conversation: ConversationRecord) => Iterable<T>,
): { scope: Scope; conversation: ConversationRecord; item: T } {
  const { scope, conversation } = resolveConversation(deps, req);
  const sid = pathParam(req, 'Sid');
  for (const item of itemsOf(conversation)) if (item.sid === sid) return { scope, conversation, item };
  throw resourceNotFound(`${conversationsPath(scope)}/${conversation.sid}/${collection}/${sid}`);
}

/** The service with this SID, or 404. */
export function requireService(store: Store, sid: string): ServiceRecord {
  const service = store.services.get(sid);
  if (!service) throw resourceNotFound(`/Services/${sid}`);
  return service;
}

/** The conversation addressed by SID or unique name within the scope's service, or 404. */
function requireConversation(store: Store, scope: Scope, sidOrUniqueName: string): ConversationRecord {
  const conversation = store.findConversation(scope.service.sid, sidOrUniqueName);
  if (!conversation) throw resourceNotFound(`${conversationsPath(scope)}/${sidOrUniqueName}`);
  return conversation;
}

/** `/Conversations` or `/Services/IS…/Conversations`: the path Twilio names in not-found messages. */
export function conversationsPath(scope: Scope): string {
  return scope.servicePath ? `/Services/${scope.service.sid}/Conversations` : '/Conversations';
}

/** Absolute URL of the conversations collection of this scope, on Twilio's domain. */
export function conversationsUrl(scope: Scope): string {
  return `${CONVERSATIONS_ORIGIN}/v1${conversationsPath(scope)}`;
}

/** Absolute URL of one conversation. */
export function conversationUrl(scope: Scope, conversationSid: string): string {
  return `${conversationsUrl(scope)}/${conversationSid}`;
}
