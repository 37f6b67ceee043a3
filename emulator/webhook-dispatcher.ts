import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeliveryLog } from './delivery-log';
import type { ConversationRecord, MessageRecord, WebhookRecord } from './records';
import { twilioSignature } from './signature';

/** How webhook delivery retries; Twilio caps a Conversations webhook at 5 s. */
export interface DeliveryOptions {
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly retryDelayMs: number;
}

interface DispatcherDeps {
  readonly accountSid: string;
  readonly authToken: string;
  readonly log: DeliveryLog;
  readonly options: DeliveryOptions;
}

interface Delivery {
  readonly webhook: WebhookRecord & { readonly url: string; readonly method: string };
  readonly message: MessageRecord;
  readonly params: Readonly<Record<string, string>>;
  readonly token: string;
  readonly stop: AbortSignal;
}

/** Posts `onMessageAdded` events to conversation-scoped webhooks in the background, signed and retried like Twilio. */
export class WebhookDispatcher {
  private stopper = new AbortController();

  constructor(private readonly deps: DispatcherDeps) {}

  /** Notifies every `webhook`-target webhook of the conversation that filters on `onMessageAdded`. */
  messageAdded(conversation: ConversationRecord, message: MessageRecord): void {
    for (const webhook of conversation.webhooks.values()) this.send(conversation, message, webhook);
  }

  /** Replays the messages from the webhook's `ReplayAfter` index on, as Twilio does for a newly attached webhook. */
  replay(conversation: ConversationRecord, webhook: WebhookRecord): void {
    const from = webhook.replayAfter;
    if (from === null) return;
    for (const message of conversation.messages.filter((m) => m.index >= from)) {
      this.send(conversation, message, webhook);
    }
  }

  /** Abandons every pending and in-flight delivery (reset and shutdown). */
  cancelAll(): void {
    this.stopper.abort();
    this.stopper = new AbortController();
  }

  private send(conversation: ConversationRecord, message: MessageRecord, webhook: WebhookRecord): void {
    const { url, method } = webhook;
    if (webhook.target !== 'webhook' || url === null || method === null) return;
    if (!webhook.filters.includes('onMessageAdded')) return;
    const params = messageAddedParams(this.deps.accountSid, conversation, message, webhook.sid);
    const delivery = {
      webhook: { ...webhook, url, method },
      message,
      params,
      token: randomUUID(),
      stop: this.stopper.signal,
    };
    void this.deliver(delivery);
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const { maxRetries, retryDelayMs } = this.deps.options;
    for (let attempt = 0; attempt <= maxRetries; attempt += 1) {
      if (attempt > 0) await sleep(retryDelayMs, undefined, { signal: delivery.stop }).catch(() => undefined);
      if (delivery.stop.aborted) return;
      if (await this.attempt(delivery, attempt)) return;
    }
  }

  /** One try; true when no retry should follow (a 2xx answer, or the delivery was cancelled meanwhile). */
  private async attempt(delivery: Delivery, attempt: number): Promise<boolean> {
    const { webhook, message, token } = delivery;
    const params = { ...delivery.params, RetryCount: String(attempt) };
    const request = signedRequest(this.deps.authToken, webhook.url, webhook.method, params, token);
    const started = Date.now();
    const outcome = await send(
      request,
      AbortSignal.any([delivery.stop, AbortSignal.timeout(this.deps.options.timeoutMs)]),
    );
    // A reset cleared the log while this attempt was in flight; it belongs to the state that was thrown away.
    if (delivery.stop.aborted) return true;
    this.deps.log.record({
      webhookSid: webhook.sid,
      conversationSid: webhook.conversationSid,
      messageSid: message.sid,
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

/** The `onMessageAdded` post-event body (spec §5.8), without `RetryCount`, which changes per attempt. */
function messageAddedParams(
  accountSid: string,
  conversation: ConversationRecord,
  message: MessageRecord,
  webhookSid: string,
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
    Source: 'API',
    WebhookSid: webhookSid,
    WebhookType: 'webhook',
    ...(conversation.messagingServiceSid !== null && { MessagingServiceSid: conversation.messagingServiceSid }),
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
