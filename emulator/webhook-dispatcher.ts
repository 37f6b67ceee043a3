import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeliveryLog } from './delivery-log';
import { type DeliveryQueueState, DeliverySlots } from './delivery-slots';
import type {
  ConversationRecord,
  DeliveryKind,
  IncomingPhoneNumberRecord,
  MessageRecord,
  MessagingMessageRecord,
  WebhookRecord,
} from './records';
import { segmentCount } from './resources/messaging-message';
import { twilioSignature } from './signature';

/** How webhook delivery retries and how many requests it keeps out at once; Twilio caps a Conversations webhook at 5 s. */
export interface DeliveryOptions {
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly retryDelayMs: number;
  /** At most this many webhook requests in flight; the rest queue (default 50). */
  readonly maxConcurrent: number;
}

interface DispatcherDeps {
  readonly accountSid: string;
  readonly authToken: string;
  readonly log: DeliveryLog;
  readonly options: DeliveryOptions;
  /** The product's base URL; `studio` targets are posted to `<base>/v1/Accounts/{AccountSid}/Flows/{FlowSid}`. */
  readonly studioFlowBaseUrl: string | null;
}

/** Where a delivery goes, as `/_emulator/inbound` reports it. */
export interface QueuedDelivery {
  readonly kind: DeliveryKind;
  readonly url: string;
  readonly method: string;
}

interface Delivery extends QueuedDelivery {
  readonly webhookSid: string | null;
  readonly conversationSid: string | null;
  readonly messageSid: string;
  readonly params: Readonly<Record<string, string>>;
  /** Conversations events count their tries in a `RetryCount` param; Messaging webhooks carry none. */
  readonly countsRetries: boolean;
  readonly token: string;
  readonly stop: AbortSignal;
}

/**
 * Posts webhooks in the background, signed and retried like Twilio, at most `maxConcurrent` at a time: conversation
 * `onMessageAdded` events to scoped webhooks (`webhook` target: its URL; `studio` target: the product's flow URL), and
 * a contact's texts to a phone number's `SmsUrl`.
 */
export class WebhookDispatcher {
  private stopper = new AbortController();
  private readonly slots: DeliverySlots;
  private studioFlowBaseUrl: string | null;

  constructor(private readonly deps: DispatcherDeps) {
    this.slots = new DeliverySlots(deps.options.maxConcurrent);
    this.studioFlowBaseUrl = deps.studioFlowBaseUrl;
  }

  /** Points `studio` targets at another product base URL (null: studio webhooks are stored only, never delivered). */
  setStudioFlowBaseUrl(url: string | null): void {
    this.studioFlowBaseUrl = url === null ? null : url.replace(/\/+$/, '');
  }

  /** The concurrency limit, requests in flight and requests waiting for a slot. */
  queueState(): DeliveryQueueState {
    return this.slots.state();
  }

  /**
   * Notifies every webhook of the conversation that takes `onMessageAdded`: `webhook` targets whose filters include
   * it, and `studio` targets (a flow hears every message). Returns where the deliveries go.
   */
  messageAdded(conversation: ConversationRecord, message: MessageRecord): QueuedDelivery[] {
    return [...conversation.webhooks.values()].flatMap((webhook) => this.sendEvent(conversation, message, webhook));
  }

  /** Replays the messages from the webhook's `ReplayAfter` index on, as Twilio does for a newly attached webhook. */
  replay(conversation: ConversationRecord, webhook: WebhookRecord): void {
    const from = webhook.replayAfter;
    if (from === null) return;
    for (const message of conversation.messages.filter((m) => m.index >= from)) {
      this.sendEvent(conversation, message, webhook);
    }
  }

  /** Posts a contact's text to the number's `SmsUrl` with Twilio's Messaging webhook fields; none when it has no URL. */
  smsReceived(number: IncomingPhoneNumberRecord, message: MessagingMessageRecord, mediaTypes: readonly string[]): QueuedDelivery[] {
    if (number.smsUrl === null) return [];
    const params = messagingParams(this.deps.accountSid, message, mediaTypes);
    const target = { kind: 'messaging' as const, url: number.smsUrl, method: number.smsMethod };
    this.enqueue({ ...target, webhookSid: null, conversationSid: null, messageSid: message.sid, params, countsRetries: false });
    return [target];
  }

  /** Abandons every pending, queued and in-flight delivery (reset and shutdown). */
  cancelAll(): void {
    this.stopper.abort();
    this.stopper = new AbortController();
  }

  private sendEvent(conversation: ConversationRecord, message: MessageRecord, webhook: WebhookRecord): QueuedDelivery[] {
    const target = this.eventTarget(webhook);
    if (!target) return [];
    const params = messageAddedParams(this.deps.accountSid, conversation, message, webhook);
    this.enqueue({ ...target, webhookSid: webhook.sid, conversationSid: conversation.sid, messageSid: message.sid, params, countsRetries: true });
    return [target];
  }

  private eventTarget(webhook: WebhookRecord): QueuedDelivery | undefined {
    if (webhook.target === 'studio') {
      if (this.studioFlowBaseUrl === null || webhook.flowSid === null) return undefined;
      const url = `${this.studioFlowBaseUrl}/v1/Accounts/${this.deps.accountSid}/Flows/${webhook.flowSid}`;
      return { kind: 'studio', url, method: 'POST' };
    }
    const { url, method } = webhook;
    if (webhook.target !== 'webhook' || url === null || method === null) return undefined;
    if (!webhook.filters.includes('onMessageAdded')) return undefined;
    return { kind: 'webhook', url, method };
  }

  private enqueue(delivery: Omit<Delivery, 'token' | 'stop'>): void {
    void this.deliver({ ...delivery, token: randomUUID(), stop: this.stopper.signal });
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const { maxRetries, retryDelayMs } = this.deps.options;
    for (let attempt = 0; attempt <= maxRetries; attempt += 1) {
      if (attempt > 0) await sleep(retryDelayMs, undefined, { signal: delivery.stop }).catch(() => undefined);
      if (await this.attempt(delivery, attempt)) return;
    }
  }

  /**
   * One try, once a slot is free; true when no retry should follow (a 2xx answer, or the delivery was cancelled). A
   * slot is held only while the request is out: a delivery waiting to retry leaves room for the others.
   */
  private async attempt(delivery: Delivery, attempt: number): Promise<boolean> {
    if (!(await this.slots.acquire(delivery.stop))) return true;
    const { token } = delivery;
    const params = delivery.countsRetries ? { ...delivery.params, RetryCount: String(attempt) } : { ...delivery.params };
    const request = signedRequest(this.deps.authToken, delivery.url, delivery.method, params, token);
    const started = Date.now();
    let outcome: Awaited<ReturnType<typeof send>>;
    try {
      outcome = await send(request, AbortSignal.any([delivery.stop, AbortSignal.timeout(this.deps.options.timeoutMs)]));
    } finally {
      this.slots.release();
    }
    // A reset cleared the log while this attempt was in flight; it belongs to the state that was thrown away.
    if (delivery.stop.aborted) return true;
    this.deps.log.record({
      kind: delivery.kind,
      webhookSid: delivery.webhookSid,
      conversationSid: delivery.conversationSid,
      messageSid: delivery.messageSid,
      url: request.url,
      method: request.method,
      params,
      idempotencyToken: token,
      attempt,
      ...outcome,
      durationMs: Date.now() - started,
      at: new Date(started),
    });
    return outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
  }
}

/**
 * The `onMessageAdded` post-event body (spec §5.8), without `RetryCount`, which changes per attempt. `WebhookType`
 * names the target (`webhook` or `studio`); `Source` is `API` for REST messages, `SMS`/`WHATSAPP` for a contact's text.
 */
export function messageAddedParams(
  accountSid: string,
  conversation: ConversationRecord,
  message: MessageRecord,
  webhook: WebhookRecord,
): Record<string, string> {
  return {
    EventType: 'onMessageAdded',
    AccountSid: accountSid,
    ChatServiceSid: conversation.serviceSid,
    ConversationSid: conversation.sid,
    MessageSid: message.sid,
    Index: String(message.index),
    Author: message.author,
    ...(message.body !== null && { Body: message.body }),
    Attributes: message.attributes,
    DateCreated: message.dateCreated.toISOString(),
    ParticipantSid: message.participantSid ?? '',
    Source: message.source,
    WebhookSid: webhook.sid,
    WebhookType: webhook.target,
    ...(conversation.messagingServiceSid !== null && { MessagingServiceSid: conversation.messagingServiceSid }),
  };
}

/**
 * A Programmable Messaging inbound webhook's fields, as Twilio posts them to a number's `SmsUrl` (the geographic
 * `FromCity`… fields are left out): `MessageSid`, its older aliases `SmsSid` and `SmsMessageSid`, `SmsStatus=received`,
 * and `MediaUrl{i}`/`MediaContentType{i}` for each of `NumMedia` attachments.
 */
function messagingParams(accountSid: string, message: MessagingMessageRecord, mediaTypes: readonly string[]): Record<string, string> {
  const media = message.mediaUrls.flatMap((url, i) => [
    [`MediaUrl${i}`, url],
    [`MediaContentType${i}`, mediaTypes[i] ?? 'application/octet-stream'],
  ]);
  return {
    MessageSid: message.sid,
    SmsSid: message.sid,
    SmsMessageSid: message.sid,
    AccountSid: accountSid,
    ...(message.messagingServiceSid !== null && { MessagingServiceSid: message.messagingServiceSid }),
    From: message.from ?? '',
    To: message.to,
    Body: message.body,
    NumMedia: String(message.mediaUrls.length),
    NumSegments: String(segmentCount(message.body)),
    ...Object.fromEntries(media),
    SmsStatus: 'received',
    ApiVersion: '2010-04-01',
  };
}

interface SignedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** Twilio signs a GET over the URL with its query and a POST over the URL plus the sorted form params. */
function signedRequest(
  authToken: string,
  url: string,
  method: string,
  params: Record<string, string>,
  token: string,
): SignedRequest {
  const isGet = method.toUpperCase() === 'GET';
  const target = new URL(url);
  if (isGet) for (const [name, value] of Object.entries(params)) target.searchParams.append(name, value);
  const fullUrl = isGet ? target.toString() : url;
  const headers: Record<string, string> = {
    'X-Twilio-Signature': twilioSignature(authToken, fullUrl, isGet ? {} : params),
    'I-Twilio-Idempotency-Token': token,
    'User-Agent': 'TwilioProxy/1.1',
  };
  if (isGet) return { url: fullUrl, method: 'GET', headers };
  headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return { url: fullUrl, method: 'POST', headers, body: new URLSearchParams(params).toString() };
}

async function send(
  request: SignedRequest,
  signal: AbortSignal,
): Promise<{ status: number | null; error: string | null }> {
  try {
    const { method, headers, body } = request;
    const response = await fetch(request.url, { method, headers, body, signal });
    await response.arrayBuffer();
    return { status: response.status, error: null };
  } catch (error) {
    return { status: null, error: describe(error) };
  }
}

/** Duck-typed: fetch's errors may come from another realm (test runners), where `instanceof Error` fails. */
function describe(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  if ('name' in error && error.name === 'TimeoutError') return 'timed out';
  const message = 'message' in error ? String(error.message) : String(error);
  const cause = 'cause' in error && typeof error.cause === 'object' && error.cause !== null ? error.cause : null;
  return cause && 'message' in cause ? `${message}: ${String(cause.message)}` : message;
}
