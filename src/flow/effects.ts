import type { JsonObject } from './context';

/**
 * Side effects the pure core asks the workflow to carry out. The core never performs I/O: a widget that needs the
 * outside world returns one of these, and is resumed with the matching {@link EffectResult}.
 */
export type Effect = HttpEffect | SendMessageEffect;

export interface HttpEffect {
  readonly kind: 'http';
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Add HTTP Basic auth with the account's credentials (make-http-request's `add_twilio_auth`); added by the activity so no secret enters history. */
  readonly twilioAuth: boolean;
}

/** A message over Programmable Messaging (no conversation) or into the execution's conversation. */
export type OutboundMessage =
  | {
      readonly channel: 'sms';
      readonly to: string;
      /** A phone number or sender ID, or a Messaging Service SID (MG…). */
      readonly from: string;
      readonly body: string;
      readonly mediaUrl: readonly string[];
    }
  | {
      readonly channel: 'conversation';
      readonly conversationSid: string;
      readonly serviceSid?: string;
      readonly body: string;
      readonly attributes?: string;
      readonly mediaUrl: readonly string[];
      /** Same key on every retry of one widget run, so a retried send delivers once. */
      readonly idempotencyKey: string;
    };

export interface SendMessageEffect {
  readonly kind: 'sendMessage';
  readonly message: OutboundMessage;
  /** Set by send-and-wait-for-reply: after sending, wait this long for the contact's reply. */
  readonly awaitReply?: { readonly timeoutSeconds: number };
}

/** What an HTTP call came back with; transport problems are results, not exceptions. */
export type HttpResponse =
  | { readonly ok: true; readonly status_code: number; readonly content_type: string; readonly body: string }
  | { readonly ok: false; readonly error: string };

/** A reply from the contact, as the onMessageAdded webhook delivered it. */
export interface InboundMessage {
  readonly MessageSid: string;
  readonly ConversationSid: string;
  readonly Body: string;
  readonly Author: string;
  readonly ParticipantSid: string;
  readonly Index: string;
  readonly Attributes: string;
  readonly DateCreated: string;
  readonly Source: string;
}

export interface EffectFailure {
  readonly code?: number;
  readonly message: string;
}

export type EffectResult =
  | { readonly kind: 'http'; readonly response: HttpResponse }
  /** `message` is the created message resource, in Twilio's field names. */
  | { readonly kind: 'messageSent'; readonly message: JsonObject }
  | { readonly kind: 'messageFailed'; readonly error: EffectFailure }
  | { readonly kind: 'reply'; readonly sent: JsonObject; readonly reply: InboundMessage }
  | { readonly kind: 'replyTimeout'; readonly sent: JsonObject };
