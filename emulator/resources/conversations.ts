import type { ConversationRecord, MessageRecord, ParticipantRecord, WebhookRecord } from '../records';
import { conversationUrl, type Scope } from '../scope';
import { isoSeconds } from '../time';

/** Sub-resources name their service only on the service path family, as the OAI schemas declare. */
const serviceField = (scope: Scope) => (scope.servicePath ? { chat_service_sid: scope.service.sid } : {});

/** The conversation resource (`conversations.v1.conversation` / `…service_conversation`). */
export function renderConversation(scope: Scope, c: ConversationRecord): Record<string, unknown> {
  const url = conversationUrl(scope, c.sid);
  return {
    sid: c.sid,
    account_sid: scope.accountSid,
    chat_service_sid: c.serviceSid,
    messaging_service_sid: c.messagingServiceSid,
    friendly_name: c.friendlyName,
    unique_name: c.uniqueName,
    attributes: c.attributes,
    state: c.state,
    date_created: isoSeconds(c.dateCreated),
    date_updated: isoSeconds(c.dateUpdated),
    timers: {
      ...(c.timers.dateInactive && { date_inactive: isoSeconds(c.timers.dateInactive) }),
      ...(c.timers.dateClosed && { date_closed: isoSeconds(c.timers.dateClosed) }),
    },
    bindings: c.emailBinding ? { email: { projected_address: c.emailBinding.address, name: c.emailBinding.name } } : {},
    url,
    links: {
      participants: `${url}/Participants`,
      messages: `${url}/Messages`,
      webhooks: `${url}/Webhooks`,
      export: `${url}/Export`,
    },
  };
}

/** The participant resource; `messaging_binding` is null for chat (identity-only) participants. */
export function renderParticipant(scope: Scope, p: ParticipantRecord): Record<string, unknown> {
  return {
    sid: p.sid,
    account_sid: scope.accountSid,
    ...serviceField(scope),
    conversation_sid: p.conversationSid,
    identity: p.identity,
    attributes: p.attributes,
    messaging_binding: messagingBinding(p),
    role_sid: p.roleSid,
    date_created: isoSeconds(p.dateCreated),
    date_updated: isoSeconds(p.dateCreated),
    url: `${conversationUrl(scope, p.conversationSid)}/Participants/${p.sid}`,
    last_read_message_index: null,
    last_read_timestamp: null,
  };
}

function messagingBinding(p: ParticipantRecord): Record<string, string> | null {
  if (p.address !== null) {
    const type = /^(whatsapp|rcs):/.exec(p.address)?.[1] ?? 'sms';
    return { type, address: p.address, ...(p.proxyAddress !== null && { proxy_address: p.proxyAddress }) };
  }
  return p.projectedAddress !== null ? { type: 'sms', projected_address: p.projectedAddress } : null;
}

/** The conversation-scoped webhook resource; `configuration` depends on the target, as in the OAI examples. */
export function renderWebhook(scope: Scope, w: WebhookRecord): Record<string, unknown> {
  return {
    sid: w.sid,
    account_sid: scope.accountSid,
    ...serviceField(scope),
    conversation_sid: w.conversationSid,
    target: w.target,
    url: `${conversationUrl(scope, w.conversationSid)}/Webhooks/${w.sid}`,
    configuration: webhookConfiguration(w),
    date_created: isoSeconds(w.dateCreated),
    date_updated: isoSeconds(w.dateCreated),
  };
}

function webhookConfiguration(w: WebhookRecord): Record<string, unknown> {
  const replay = w.replayAfter !== null ? { replay_after: w.replayAfter } : {};
  if (w.target === 'studio') return { flow_sid: w.flowSid, ...replay };
  const triggers = w.target === 'trigger' ? { triggers: w.triggers } : {};
  return { url: w.url, method: w.method, filters: w.filters, ...triggers, ...replay };
}

/** The conversation message resource; delivery receipts are not emulated, so `delivery` is null. */
export function renderMessage(scope: Scope, m: MessageRecord): Record<string, unknown> {
  const url = `${conversationUrl(scope, m.conversationSid)}/Messages/${m.sid}`;
  return {
    sid: m.sid,
    account_sid: scope.accountSid,
    ...serviceField(scope),
    conversation_sid: m.conversationSid,
    index: m.index,
    author: m.author,
    body: m.body,
    media: m.mediaSid !== null ? [{ sid: m.mediaSid }] : null,
    attributes: m.attributes,
    participant_sid: m.participantSid,
    date_created: isoSeconds(m.dateCreated),
    date_updated: isoSeconds(m.dateCreated),
    delivery: null,
    content_sid: m.contentSid,
    url,
    links: { delivery_receipts: `${url}/Receipts`, channel_metadata: `${url}/ChannelMetadata` },
  };
}
