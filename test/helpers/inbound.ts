import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import type { FlowDefinition, WidgetState } from '../../src/flow/definition';
import type { TestStack } from './stack';
import { eventually } from './wait';

type Widget = Partial<WidgetState> & Pick<WidgetState, 'name' | 'type'>;

/** ask (send-and-wait, 'Which store?') → echo ('You said …'): a flow that holds its contact while it waits for one reply. */
export const ASK_THEN_ECHO: readonly Widget[] = [
  { name: 'ask', type: 'send-and-wait-for-reply', transitions: [{ event: 'incomingMessage', next: 'echo' }, { event: 'timeout' }, { event: 'deliveryFailure' }], properties: { body: 'Which store?', timeout: '600' } },
  { name: 'echo', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'You said {{widgets.ask.inbound.Body}}' } },
];

/** A flow whose Trigger goes from `event` (`incomingMessage`, `incomingConversationMessage`, …) into the first widget. */
export function triggeredFlow(event: string, ...widgets: Widget[]): FlowDefinition {
  return {
    description: `test flow started by ${event}`,
    initial_state: 'Trigger',
    flags: { allow_concurrent_calls: true },
    states: [
      { name: 'Trigger', type: 'trigger', transitions: [{ event, next: widgets[0]?.name }], properties: { offset: { x: 0, y: 0 } } },
      ...widgets.map((w) => ({ transitions: [], properties: {}, ...w })),
    ],
  };
}

/** Trigger (incomingMessage) → ask for a rating → split on it → thank or apologise. */
export function smsSurveyFlow(): FlowDefinition {
  return triggeredFlow(
    'incomingMessage',
    {
      name: 'ask',
      type: 'send-and-wait-for-reply',
      transitions: [{ event: 'incomingMessage', next: 'check' }, { event: 'timeout' }, { event: 'deliveryFailure' }],
      properties: { body: 'Thanks for writing "{{trigger.message.Body}}". How would you rate us, 1 to 5?', timeout: '600' },
    },
    {
      name: 'check',
      type: 'split-based-on',
      transitions: [{ event: 'noMatch', next: 'sorry' }, { event: 'match', next: 'thanks', conditions: [{ friendly_name: 'good', arguments: ['{{widgets.ask.inbound.Body}}'], type: 'greater_than', value: '3' }] }],
      properties: { input: '{{widgets.ask.inbound.Body}}' },
    },
    { name: 'thanks', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'Glad to hear it, {{contact.channel.address}}!' } },
    { name: 'sorry', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'Sorry to hear that.' } },
  );
}
/**
 * Trigger (incomingConversationMessage) → start-conversation (which fails: the conversation that started the
 * execution is its channel) → ask what it is about, in the conversation → hand it to Flex (`workflowSid`).
 */
export function webChatFlow(workflowSid: string): FlowDefinition {
  return triggeredFlow(
    'incomingConversationMessage',
    {
      name: 'start',
      type: 'start-conversation',
      transitions: [{ event: 'created', next: 'ask' }, { event: 'failed', next: 'ask' }],
      properties: { participants: [{ type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: '+15558490001' }] },
    },
    {
      name: 'ask',
      type: 'send-and-wait-for-reply',
      transitions: [{ event: 'incomingMessage', next: 'to_agent' }, { event: 'timeout' }, { event: 'deliveryFailure' }],
      properties: { body: 'Hi {{contact.channel.address}}, you wrote "{{trigger.conversation.Body}}". What is it about?', timeout: '600' },
    },
    {
      name: 'to_agent',
      type: 'send-to-flex',
      transitions: [{ event: 'callComplete' }, { event: 'failedToEnqueue' }, { event: 'callFailure' }],
      properties: { workflow: workflowSid, channel: 'sms', attributes: '{"topic": "{{widgets.ask.inbound.Body}}"}' },
    },
  );
}

/** The flow's webhook URL
 (Studio's `webhook_url`) on the stack's API. */
export function flowWebhookUrl(stack: TestStack, flowSid: string): string {
  return `${stack.config.publicBaseUrl}/v1/Accounts/${stack.config.twilio.accountSid}/Flows/${flowSid}`;
}

export interface Text {
  readonly from: string;
  readonly to: string;
  readonly body: string;
  /** Redeliveries name the message they repeat; a new `SM…` otherwise. */
  readonly messageSid?: string;
  readonly mediaUrls?: readonly string[];
}

/**
 * The fields Programmable Messaging posts to a number's inbound webhook for an SMS/MMS/WhatsApp message (Twilio's
 * "Messaging webhook request" parameters): what a contact's text looks like when it reaches a flow.
 */
export function messagingWebhookFields(stack: TestStack, text: Text): Record<string, string> {
  const sid = text.messageSid ?? `SM${randomBytes(16).toString('hex')}`;
  const media = text.mediaUrls ?? [];
  return {
    ToCountry: 'US',
    SmsMessageSid: sid,
    NumMedia: String(media.length),
    SmsSid: sid,
    SmsStatus: 'received',
    Body: text.body,
    To: text.to,
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: stack.config.twilio.accountSid,
    From: text.from,
    ApiVersion: '2010-04-01',
    ...Object.fromEntries(media.flatMap((url, i) => [[`MediaUrl${i}`, url], [`MediaContentType${i}`, 'image/jpeg']])),
  };
}

/** Posts form `fields` to `url` signed as Twilio signs webhooks (X-Twilio-Signature with the account's auth token). */
export function postSigned(stack: TestStack, url: string, fields: Record<string, string>, signature?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature ?? twilio.getExpectedTwilioSignature(stack.config.twilio.authToken, url, fields),
    },
    body: new URLSearchParams(fields).toString(),
  });
}

/**
 * Posts a signed webhook as Twilio delivers it: a 5xx answer (the contact's execution still starting, Temporal
 * restarting) is sent again, up to `attempts` times in all. Returns the last answer.
 */
export async function deliverLikeTwilio(stack: TestStack, url: string, fields: Record<string, string>, attempts = 3): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const response = await postSigned(stack, url, fields);
    if (response.status < 500 || attempt >= attempts) return response;
    await response.arrayBuffer();
  }
}

/** A contact's text to the number whose Messaging webhook is the flow's URL, as Twilio delivers it; the answer and the fields. */
export async function text(stack: TestStack, flowSid: string, message: Text) {
  const fields = messagingWebhookFields(stack, message);
  const response = await postSigned(stack, flowWebhookUrl(stack, flowSid), fields);
  return { response, fields, body: await response.text() };
}

/**
 * A conversation with one SMS participant (the contact, talking to `proxy`) whose scoped webhook (`Target=webhook`,
 * onMessageAdded) is the flow's URL: how a user wires a Conversation to a flow. Made through the emulator with the
 * official client; returns the conversation and the webhook SIDs.
 */
export async function conversationWiredToFlow(stack: TestStack, flowSid: string, contact: string, proxy: string) {
  const conversations = stack.emulatorClient.conversations.v1.conversations;
  const conversation = await conversations.create({ friendlyName: `chat with ${contact}` });
  await conversations(conversation.sid).participants.create({ 'messagingBinding.address': contact, 'messagingBinding.proxyAddress': proxy });
  const webhook = await conversations(conversation.sid).webhooks.create({
    target: 'webhook',
    'configuration.url': flowWebhookUrl(stack, flowSid),
    'configuration.method': 'post',
    'configuration.filters': ['onMessageAdded'],
  });
  return { conversationSid: conversation.sid, webhookSid: webhook.sid };
}

/** The executions of a flow, as the API lists them, once there are `count` of them. */
export function executionsOf(stack: TestStack, flowSid: string, count: number) {
  return eventually(async () => {
    const listed = await stack.client.studio.v2.flows(flowSid).executions.list();
    return listed.length >= count ? listed : undefined;
  });
}

/** The SMS messages the flow sent through Programmable Messaging to `to`, oldest first. */
export function smsTo(stack: TestStack, to: string) {
  return [...stack.twilio.store.messagingMessages.values()].filter((m) => m.to === to);
}

/** Waits until `count` SMS messages went to `to`; returns their bodies. */
export function smsBodiesTo(stack: TestStack, to: string, count: number) {
  return eventually(async () => {
    const bodies = smsTo(stack, to).map((m) => m.body);
    return bodies.length >= count ? bodies : undefined;
  });
}
