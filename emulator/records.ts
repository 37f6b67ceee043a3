/** In-memory records the emulator keeps; resources/ turns them into Twilio's JSON. */

export type ConversationState = 'active' | 'inactive' | 'closed';
export type WebhookTarget = 'webhook' | 'trigger' | 'studio';

export interface ServiceRecord {
  readonly sid: string;
  readonly friendlyName: string;
  readonly dateCreated: Date;
}

export interface ParticipantRecord {
  readonly sid: string;
  readonly conversationSid: string;
  readonly identity: string | null;
  readonly address: string | null;
  readonly proxyAddress: string | null;
  readonly projectedAddress: string | null;
  readonly attributes: string;
  readonly roleSid: string | null;
  readonly dateCreated: Date;
}

export interface WebhookRecord {
  readonly sid: string;
  readonly conversationSid: string;
  readonly target: WebhookTarget;
  readonly url: string | null;
  readonly method: string | null;
  readonly filters: readonly string[];
  readonly triggers: readonly string[];
  readonly flowSid: string | null;
  readonly replayAfter: number | null;
  readonly dateCreated: Date;
}

export interface MessageRecord {
  readonly sid: string;
  readonly conversationSid: string;
  readonly index: number;
  readonly author: string;
  readonly body: string | null;
  readonly attributes: string;
  readonly mediaSid: string | null;
  readonly contentSid: string | null;
  readonly contentVariables: string | null;
  readonly subject: string | null;
  readonly participantSid: string | null;
  readonly dateCreated: Date;
}

export interface ConversationFields {
  friendlyName: string | null;
  uniqueName: string | null;
  attributes: string;
  messagingServiceSid: string | null;
  state: ConversationState;
  timers: { dateInactive?: Date; dateClosed?: Date };
  emailBinding: { address: string | null; name: string | null } | null;
  dateUpdated: Date;
}

/** A conversation owns its participants, webhooks and messages, so deleting it drops them all. */
export interface ConversationRecord extends ConversationFields {
  readonly sid: string;
  readonly serviceSid: string;
  readonly dateCreated: Date;
  readonly participants: Map<string, ParticipantRecord>;
  readonly webhooks: Map<string, WebhookRecord>;
  readonly messages: MessageRecord[];
  nextMessageIndex: number;
}

export interface MessagingMessageRecord {
  readonly sid: string;
  readonly to: string;
  readonly from: string | null;
  readonly messagingServiceSid: string | null;
  readonly body: string;
  readonly mediaUrls: readonly string[];
  /** A Content template (`HX…`) Twilio would render into the message; templates are not emulated. */
  readonly contentSid: string | null;
  /** The template's variables, a JSON object as text. */
  readonly contentVariables: string | null;
  readonly statusCallback: string | null;
  readonly dateCreated: Date;
}

export interface InteractionRecord {
  readonly sid: string;
  readonly channel: Record<string, unknown>;
  readonly routing: Record<string, unknown>;
  readonly interactionContextSid: string | null;
  readonly webhookTtid: string | null;
  readonly dateCreated: Date;
}

/** One webhook delivery attempt, as the admin view and tests see it. */
export interface DeliveryAttempt {
  readonly webhookSid: string;
  readonly conversationSid: string;
  readonly messageSid: string;
  readonly url: string;
  readonly method: string;
  readonly params: Readonly<Record<string, string>>;
  readonly idempotencyToken: string;
  /** 0 for the first try, then 1, 2… (the RetryCount sent). */
  readonly attempt: number;
  readonly status: number | null;
  readonly error: string | null;
  readonly durationMs: number;
  readonly at: Date;
}
