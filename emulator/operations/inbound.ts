import { invalidParameter, TwilioError } from '../errors';
import { many, one, type Params } from '../params';
import type {
  AddressConfigurationRecord,
  ConversationRecord,
  MessageRecord,
  MessagingMessageRecord,
  ParticipantRecord,
} from '../records';
import { newSid } from '../sids';
import { channelOf, type Store } from '../store';
import { httpUrl, maxLength, optionalParam, sidOf } from '../validate';
import type { QueuedDelivery, WebhookDispatcher } from '../webhook-dispatcher';
import { createConversation } from './conversations';
import { addMessage } from './messages';
import { addParticipant } from './participants';
import { addWebhook } from './webhooks';

/** Which of Twilio's three inbound routes a text took. */
export type InboundRoute = 'conversation' | 'address-configuration' | 'incoming-phone-number';

/** What `POST /_emulator/inbound` answers: the route, what it created and where webhooks were sent. */
export interface InboundResult {
  readonly route: InboundRoute;
  /** The inbound Messaging record (`SM…`, direction `inbound`), listed by `GET …/Messages.json`. */
  readonly message_sid: string;
  readonly conversation_sid: string | null;
  /** The conversation message (`IM…`) the text became, for the conversation routes. */
  readonly conversation_message_sid: string | null;
  readonly participant_sid: string | null;
  readonly address_configuration_sid: string | null;
  readonly incoming_phone_number_sid: string | null;
  /** The webhook deliveries queued for it (delivered in the background, signed and retried). */
  readonly deliveries: readonly QueuedDelivery[];
}

interface InboundText {
  readonly from: string;
  readonly to: string;
  readonly body: string;
  readonly mediaUrls: readonly string[];
  readonly mediaTypes: readonly string[];
  readonly messagingServiceSid: string | null;
}

/**
 * A contact texts a number, routed as Twilio routes it: (a) into the open conversation whose participant has this
 * (address = From, proxy address = To) pair; else (b) into a new conversation by the address configuration of `To`
 * with auto-creation enabled; else (c) to the `SmsUrl` of the IncomingPhoneNumber `To`; else 404.
 */
export function receiveText(store: Store, dispatcher: WebhookDispatcher, params: Params): InboundResult {
  const text = parseInboundText(params);
  const owner = store.openPairOwner(text.from, text.to);
  if (owner) return intoConversation(store, dispatcher, text, owner);
  const configuration = store.addressConfigurationFor(text.to);
  if (configuration?.autoCreation.enabled) return autoCreate(store, dispatcher, text, configuration);
  const number = store.findIncomingPhoneNumber(text.to);
  if (number) {
    const message = record(store, text);
    const deliveries = dispatcher.smsReceived(number, message, text.mediaTypes);
    return { ...nothing('incoming-phone-number', message), incoming_phone_number_sid: number.sid, deliveries };
  }
  throw new TwilioError(
    404,
    20404,
    `Nothing takes texts from ${text.from} to ${text.to}: no open conversation has a participant with that address and ` +
      `proxy address, no address configuration with auto-creation enabled has address ${text.to}, and no ` +
      'IncomingPhoneNumber has that phone number',
  );
}

function intoConversation(store: Store, dispatcher: WebhookDispatcher, text: InboundText, participant: ParticipantRecord): InboundResult {
  const conversation = store.conversations.get(participant.conversationSid);
  if (!conversation) throw new Error(`participant ${participant.sid} has no conversation`);
  // A message wakes an inactive conversation, as on Twilio.
  if (conversation.state !== 'active') {
    conversation.state = 'active';
    conversation.dateUpdated = new Date();
  }
  return addToConversation(store, dispatcher, text, conversation, 'conversation');
}

/** Auto-creation: a conversation, the contact as its participant, then the scoped webhook the configuration names. */
function autoCreate(store: Store, dispatcher: WebhookDispatcher, text: InboundText, configuration: AddressConfigurationRecord): InboundResult {
  const { autoCreation } = configuration;
  const serviceSid = autoCreation.conversationServiceSid ?? store.defaultServiceSid;
  const conversation = createConversation(
    store,
    serviceSid,
    text.messagingServiceSid === null ? {} : { MessagingServiceSid: text.messagingServiceSid },
  );
  addParticipant(store, conversation, { 'MessagingBinding.Address': text.from, 'MessagingBinding.ProxyAddress': text.to });
  if (autoCreation.type === 'webhook' && autoCreation.webhookUrl !== null) {
    addWebhook(conversation, {
      Target: 'webhook',
      'Configuration.Url': autoCreation.webhookUrl,
      'Configuration.Method': autoCreation.webhookMethod ?? 'POST',
      'Configuration.Filters': autoCreation.webhookFilters,
    });
  }
  if (autoCreation.type === 'studio' && autoCreation.studioFlowSid !== null) {
    addWebhook(conversation, { Target: 'studio', 'Configuration.FlowSid': autoCreation.studioFlowSid });
  }
  const result = addToConversation(store, dispatcher, text, conversation, 'address-configuration');
  return { ...result, address_configuration_sid: configuration.sid };
}

function addToConversation(
  store: Store,
  dispatcher: WebhookDispatcher,
  text: InboundText,
  conversation: ConversationRecord,
  route: InboundRoute,
): InboundResult {
  const sms = record(store, text);
  const message: MessageRecord = addMessage(conversation, { Author: text.from, Body: text.body }, channelOf(text.to) === 'whatsapp' ? 'WHATSAPP' : 'SMS');
  // A contact's text always fires the conversation's webhooks; only REST messages need X-Twilio-Webhook-Enabled.
  const deliveries = dispatcher.messageAdded(conversation, message);
  return {
    ...nothing(route, sms),
    conversation_sid: conversation.sid,
    conversation_message_sid: message.sid,
    participant_sid: message.participantSid,
    deliveries,
  };
}

/** Logs the text as an inbound Messaging message, as Twilio's message log shows every text a number receives. */
function record(store: Store, text: InboundText): MessagingMessageRecord {
  const message: MessagingMessageRecord = {
    sid: newSid('SM'),
    direction: 'inbound',
    to: text.to,
    from: text.from,
    messagingServiceSid: text.messagingServiceSid,
    body: text.body,
    mediaUrls: text.mediaUrls,
    contentSid: null,
    contentVariables: null,
    statusCallback: null,
    dateCreated: new Date(),
  };
  store.messagingMessages.set(message.sid, message);
  return message;
}

function nothing(route: InboundRoute, message: MessagingMessageRecord): InboundResult {
  return {
    route,
    message_sid: message.sid,
    conversation_sid: null,
    conversation_message_sid: null,
    participant_sid: null,
    address_configuration_sid: null,
    incoming_phone_number_sid: null,
    deliveries: [],
  };
}

/**
 * `From`, `To` (required), `Body` (default empty), media as repeated `MediaUrl` or as `MediaUrl0…` with optional
 * `MediaContentType0…`, an optional `NumMedia` that must count them, and an optional `MessagingServiceSid`.
 */
function parseInboundText(params: Params): InboundText {
  const from = optionalParam(params, 'From', maxLength(256));
  const to = optionalParam(params, 'To', maxLength(256));
  if (from === null || from === '') throw invalidParameter('From', "is required: the contact's address (+1555…, whatsapp:+1555…)");
  if (to === null || to === '') throw invalidParameter('To', 'is required: the number or address texted');
  for (const [name, value] of [['From', from], ['To', to]] as const) {
    if (/^ \d/.test(value)) {
      throw invalidParameter(name, `'${value}' starts with a space: a + sent unencoded in a form body reads as a space; send %2B (curl --data-urlencode)`);
    }
  }
  if (from === to) throw invalidParameter('To', 'must differ from From');
  const body = optionalParam(params, 'Body', maxLength(1600)) ?? '';
  const numbered = numberedMedia(params);
  const mediaUrls = [...many(params, 'MediaUrl'), ...numbered.map((m) => m.url)].map((url) => httpUrl(url, 'MediaUrl'));
  const mediaTypes = [...many(params, 'MediaUrl').map(guessContentType), ...numbered.map((m) => m.type ?? guessContentType(m.url))];
  const numMedia = one(params, 'NumMedia');
  if (numMedia !== undefined && numMedia !== String(mediaUrls.length)) {
    throw invalidParameter('NumMedia', `is ${numMedia} but ${mediaUrls.length} media URL(s) were given`);
  }
  if (body === '' && mediaUrls.length === 0) throw invalidParameter('Body', 'is required when no media is sent');
  return { from, to, body, mediaUrls, mediaTypes, messagingServiceSid: optionalParam(params, 'MessagingServiceSid', sidOf('MG')) };
}

function numberedMedia(params: Params): Array<{ url: string; type: string | undefined }> {
  const media = [];
  for (let i = 0; one(params, `MediaUrl${i}`) !== undefined; i += 1) {
    media.push({ url: one(params, `MediaUrl${i}`) ?? '', type: one(params, `MediaContentType${i}`) });
  }
  return media;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  mp4: 'video/mp4',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  pdf: 'application/pdf',
  vcf: 'text/vcard',
};

/** A media URL's content type from its extension; Twilio reads it from the stored media, which is not emulated. */
function guessContentType(url: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase() ?? '';
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}
