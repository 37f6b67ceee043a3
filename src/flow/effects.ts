import type { ChannelContext, JsonObject } from './context';
import type { StepRecord } from './execution-state';

/**
 * Side effects the pure core asks the workflow to carry out. The core never performs I/O: a widget that needs the
 * outside world returns one of these, and is resumed with the matching {@link EffectResult}.
 */
export type Effect = HttpEffect | SendMessageEffect | StartConversationEffect | RunSubflowEffect | SendToFlexEffect | ResumeLaterEffect;

/**
 * Not the widget's: the interpreter call spent its share of work (work-meter.ts), so the widget is entered in a new
 * workflow task. Answered with `{ kind: 'resumedLater' }`.
 */
export interface ResumeLaterEffect {
  readonly kind: 'resumeLater';
}

/** run-subflow: the subflow runs as a child execution, pinned to the revision resolved when it starts. */
export interface RunSubflowEffect {
  readonly kind: 'runSubflow';
  readonly flowSid: string;
  readonly revision: 'LatestPublished' | 'LatestRevision' | number;
  /** Rendered; they become the child's `trigger.parent.parameters`. */
  readonly parameters: JsonObject;
  /** The run-subflow widget run: the child's steps name it as their `parent_step_sid`. */
  readonly stepSid: string;
}

/** send-to-flex for a conversation channel: a Flex Interaction with the conversation as its media channel. */
export interface SendToFlexEffect {
  readonly kind: 'sendToFlex';
  readonly conversationSid: string;
  readonly serviceSid?: string;
  /** Removed once the interaction exists: the flow stops hearing from the conversation. */
  readonly webhookSid?: string;
  /**
   * A conversation that started the execution (incomingConversationMessage): once the interaction exists, the
   * conversation's scoped webhooks that point at this flow (its webhook URL, or `Target=studio` with its SID) are
   * removed, so the bot stops hearing it. The user's other webhooks stay.
   */
  readonly flowWebhooksOf?: string;
  /** `sms`, `whatsapp` or `chat`, from the conversation's participant. */
  readonly channelType: string;
  readonly workflowSid: string;
  readonly taskChannel: string;
  readonly attributes: JsonObject;
  readonly priority?: number;
  readonly timeout?: number;
}

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
/**
 * A Content template (`HX…`) and its variables, as Twilio takes them on a Messaging or a Conversations message
 * (`ContentSid`, `ContentVariables`): WhatsApp needs one for a business-initiated message.
 */
export interface MessageContent {
  readonly sid: string;
  /** A JSON object as text (`{"1":"Ada"}`), or undefined when the widget sets none. */
  readonly variables?: string;
}

export type OutboundMessage =
  | {
      readonly channel: 'sms';
      readonly to: string;
      /** A phone number or sender ID, or a Messaging Service SID (MG…). */
      readonly from: string;
      readonly body: string;
      readonly mediaUrl: readonly string[];
      readonly content?: MessageContent;
    }
  | {
      readonly channel: 'conversation';
      readonly conversationSid: string;
      readonly serviceSid?: string;
      readonly body: string;
      readonly attributes?: string;
      /** Conversations take media only as Media Content Service uploads: a send with media fails (see effect-runner). */
      readonly mediaUrl: readonly string[];
      readonly content?: MessageContent;
      /** Same key on every retry of one widget run, so a retried send delivers once. */
      readonly idempotencyKey: string;
    };

export interface SendMessageEffect {
  readonly kind: 'sendMessage';
  readonly message: OutboundMessage;
  /** Set by send-and-wait-for-reply: after sending, wait this long for the contact's reply. */
  readonly awaitReply?: { readonly timeoutSeconds: number };
}

/** Everything start-conversation asks Twilio for, rendered and checked: a conversation, its participant, the webhook. */
export interface StartConversationEffect {
  readonly kind: 'startConversation';
  /** Makes the conversation unique per (execution, widget run), so retries and replays create it once. */
  readonly executionSid: string;
  readonly runId: string;
  /** Omitted: the configured default Conversations service (Twilio's default service when none is configured). */
  readonly serviceSid?: string;
  readonly conversation: {
    readonly uniqueName?: string;
    readonly friendlyName?: string;
    readonly attributes?: string;
    readonly messagingServiceSid?: string;
    readonly timers?: { readonly inactive?: string; readonly closed?: string };
    readonly emailBinding?: { readonly address?: string; readonly name?: string };
  };
  readonly participant: {
    readonly identity?: string;
    readonly address?: string;
    readonly proxyAddress?: string;
    readonly attributes?: string;
    readonly roleSid?: string;
  };
}

/** Which Twilio call of start-conversation failed. */
export type ConversationStage = 'conversation' | 'participant' | 'webhook';

/** What an HTTP call came back with; transport problems are results, not exceptions. */
export type HttpResponse =
  | { readonly ok: true; readonly status_code: number; readonly content_type: string; readonly body: string }
  | { readonly ok: false; readonly error: string };

/** A message from the contact, by either inbound channel. */
export type InboundMessage = ConversationMessage | MessagingMessage;

/** A reply from the contact, as the onMessageAdded webhook delivered it. */
export interface ConversationMessage {
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

/**
 * An SMS, MMS or WhatsApp message as Programmable Messaging's inbound webhook posts it (DESIGN.md §8): `MessageSid`,
 * `From` (the contact, `whatsapp:` prefix kept), `To` (the flow's number), `Body`, `NumMedia`, `MediaUrl0`…, and every
 * other field Twilio sent, kept as sent. It never has a `ConversationSid`.
 */
export interface MessagingMessage {
  readonly MessageSid: string;
  readonly From: string;
  readonly To: string;
  readonly Body: string;
  readonly [field: string]: string;
}

/** True for a Programmable Messaging message, false for a Conversations one. */
export function isMessagingMessage(message: InboundMessage): message is MessagingMessage {
  return !('ConversationSid' in message);
}

export interface EffectFailure {
  readonly code?: number;
  readonly message: string;
}

export type EffectResult =
  | { readonly kind: 'resumedLater' }
  /** `legacyParsing`: the execution predates Studio's parsing rule (HTTP_PARSING_PATCH); its replays parse as it did. */
  | { readonly kind: 'http'; readonly response: HttpResponse; readonly legacyParsing?: boolean }
  /** `message` is the created message resource, in Twilio's field names. */
  | { readonly kind: 'messageSent'; readonly message: JsonObject }
  | { readonly kind: 'messageFailed'; readonly error: EffectFailure }
  | { readonly kind: 'reply'; readonly sent: JsonObject; readonly reply: InboundMessage }
  | { readonly kind: 'replyTimeout'; readonly sent: JsonObject }
  /** The three resources, in Twilio's field names. */
  | { readonly kind: 'conversationStarted'; readonly conversation: JsonObject; readonly participant: JsonObject; readonly webhook: JsonObject }
  /** A stage failed; anything created before it was deleted again. */
  | { readonly kind: 'conversationFailed'; readonly stage: ConversationStage; readonly error: EffectFailure }
  /** The child execution ended; what it leaves its parent, and its steps for the parent's step list. */
  | { readonly kind: 'subflowCompleted'; readonly child: SubflowOutcome }
  /** The subflow could not be loaded or run (Studio's 81024). */
  | { readonly kind: 'subflowFailed'; readonly error: EffectFailure }
  | { readonly kind: 'flexEnqueued'; readonly interaction: JsonObject }
  /** Flex refused the interaction (`failedToEnqueue`), or something else went wrong (`callFailure`). */
  | { readonly kind: 'flexFailed'; readonly rejected: boolean; readonly error: EffectFailure };

/** What a finished subflow hands back to the run-subflow widget. */
export interface SubflowOutcome {
  readonly workflowId: string;
  readonly variables: JsonObject;
  readonly channel: ChannelContext;
  readonly error?: { readonly code: number; readonly message: string };
  readonly steps: readonly StepRecord[];
}
