import { invalidParameter, TwilioError } from '../errors';
import { many, one, type Params } from '../params';
import type { ConversationRecord, WebhookRecord, WebhookTarget } from '../records';
import { isSid, newSid } from '../sids';
import { httpUrl, nonNegativeInteger, optionalParam } from '../validate';

/** Twilio allows at most this many scoped webhooks on one conversation. */
const MAX_SCOPED_WEBHOOKS = 5;

const TARGETS: readonly WebhookTarget[] = ['webhook', 'trigger', 'studio'];

/** Adds a conversation-scoped webhook; `webhook`/`trigger` need a URL, `studio` a flow SID (50367). */
export function addWebhook(conversation: ConversationRecord, params: Params): WebhookRecord {
  if (conversation.webhooks.size >= MAX_SCOPED_WEBHOOKS) {
    throw new TwilioError(400, 20001, `A conversation can have at most ${MAX_SCOPED_WEBHOOKS} scoped webhooks`);
  }
  const target = TARGETS.find((t) => t === one(params, 'Target'));
  if (!target) throw invalidParameter('Target', `is required and must be one of ${TARGETS.join(', ')}`);
  const webhook: WebhookRecord = {
    sid: newSid('WH'),
    conversationSid: conversation.sid,
    target,
    ...(target === 'studio' ? studioConfiguration(params) : urlConfiguration(params)),
    filters: many(params, 'Configuration.Filters'),
    triggers: many(params, 'Configuration.Triggers'),
    replayAfter: optionalParam(params, 'Configuration.ReplayAfter', nonNegativeInteger),
    dateCreated: new Date(),
  };
  conversation.webhooks.set(webhook.sid, webhook);
  return webhook;
}

function urlConfiguration(params: Params): Pick<WebhookRecord, 'url' | 'method' | 'flowSid'> {
  const url = optionalParam(params, 'Configuration.Url', httpUrl);
  if (url === null) throw invalidParameter('Configuration.Url', 'is required for webhook and trigger targets');
  // Echoed as sent, the way Twilio echoes it; the OAI enum spells it lower-case.
  const method = one(params, 'Configuration.Method') ?? 'POST';
  if (!/^(get|post)$/i.test(method)) throw invalidParameter('Configuration.Method', 'must be GET or POST');
  return { url, method, flowSid: null };
}

function studioConfiguration(params: Params): Pick<WebhookRecord, 'url' | 'method' | 'flowSid'> {
  const flowSid = one(params, 'Configuration.FlowSid');
  if (flowSid === undefined || !isSid(flowSid, 'FW')) {
    throw new TwilioError(400, 50367, 'Configuration.FlowSid must be a Studio Flow SID (FW and 32 hex digits)');
  }
  return { url: null, method: null, flowSid };
}
