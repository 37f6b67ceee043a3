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
  /** Where the message came from, as `onMessageAdded` reports it: `API` for REST, `SMS`/`WHATSAPP` for a contact's text. */
  readonly source: MessageSource;
  readonly dateCreated: Date;
}

export type MessageSource = 'API' | 'SMS' | 'WHATSAPP';

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
  /** `outbound-api` for messages sent through the REST API, `inbound` for a contact's text (`/_emulator/inbound`). */
  readonly direction: 'outbound-api' | 'inbound';
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

/** A number the account owns (`PN…`); `smsUrl` is where a contact's text to it is posted. */
export interface IncomingPhoneNumberRecord {
  readonly sid: string;
  readonly phoneNumber: string;
  friendlyName: string;
  smsUrl: string | null;
  smsMethod: string;
  smsFallbackUrl: string | null;
  smsFallbackMethod: string;
  voiceUrl: string | null;
  voiceMethod: string;
  voiceFallbackUrl: string | null;
  voiceFallbackMethod: string;
  statusCallback: string | null;
  statusCallbackMethod: string;
  readonly dateCreated: Date;
  dateUpdated: Date;
}

/** How a conversation is created for a text to a configured address: a scoped webhook, a Studio flow, or none. */
export type AutoCreationType = 'webhook' | 'studio' | 'default';

/** A Conversations address configuration (`IG…`): texts to `address` open a conversation when auto-creation is on. */
export interface AddressConfigurationRecord {
  readonly sid: string;
  readonly type: 'sms' | 'whatsapp';
  readonly address: string;
  readonly addressCountry: string | null;
  friendlyName: string | null;
  autoCreation: {
    enabled: boolean;
    type: AutoCreationType;
    conversationServiceSid: string | null;
    webhookUrl: string | null;
    webhookMethod: string | null;
    webhookFilters: readonly string[];
    studioFlowSid: string | null;
    studioRetryCount: number | null;
  };
  readonly dateCreated: Date;
  dateUpdated: Date;
}

export interface InteractionRecord {
  readonly sid: string;
  readonly channel: Record<string, unknown>;
  readonly routing: Record<string, unknown>;
  readonly interactionContextSid: string | null;
  readonly webhookTtid: string | null;
  readonly dateCreated: Date;
}

/**
 * What a delivery carries: a conversation event to a `webhook`-target URL, the same event to the product's flow URL
 * (`studio` target), or a contact's text to a phone number's `SmsUrl` (`messaging`).
 */
export type DeliveryKind = 'webhook' | 'studio' | 'messaging';

/** One webhook delivery attempt, as the admin view and tests see it. */
export interface DeliveryAttempt {
  readonly kind: DeliveryKind;
  /** The scoped webhook (`WH…`); null for `messaging` deliveries. */
  readonly webhookSid: string | null;
  /** The conversation the event is about; null for `messaging` deliveries. */
  readonly conversationSid: string | null;
  /** `IM…` for conversation events, `SM…` for a text to a phone number. */
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
