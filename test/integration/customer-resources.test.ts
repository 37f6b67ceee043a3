import type twilio from 'twilio';
import type { RouteName } from '../../emulator/faults';
import { conversationWebhookUrl } from '../../src/config';
import { publish, restFlow, runToEnd } from '../helpers/flows';
import { contactNumbers } from '../helpers/contacts';
import { startStack, type TestStack } from '../helpers/stack';

type Studio = twilio.Twilio['studio']['v2'];

/**
 * start (the widget's own unique name, friendly name and attributes, a participant with attributes) → a message with
 * attributes → a message without → end. The contact's number is in the unique name and both bodies, so a fault can
 * match this execution alone.
 */
const flow = restFlow(
  {
    name: 'start',
    type: 'start-conversation',
    transitions: [{ event: 'created', next: 'greet' }, { event: 'failed' }],
    properties: {
      unique_name: 'harness-{{contact.channel.address}}',
      friendly_name: 'Harness',
      attributes: '{"src":"harness"}',
      participants: [
        { type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: '+15559990000', attributes: '{"role":"customer"}' },
      ],
    },
  },
  {
    name: 'greet',
    type: 'send-message',
    transitions: [{ event: 'sent', next: 'bye' }, { event: 'failed' }],
    properties: { body: 'hello {{contact.channel.address}}', attributes: '{"k":"v"}' },
  },
  { name: 'bye', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'bye {{contact.channel.address}}' } },
);

/** What the emulator stored of the contact's conversation, attributes parsed. */
function stored(stack: TestStack, contact: string) {
  const conversations = [...stack.twilio.store.conversations.values()].filter((c) => c.uniqueName === `harness-${contact}`);
  return conversations.map((c) => ({
    friendlyName: c.friendlyName,
    attributes: JSON.parse(c.attributes) as unknown,
    participants: [...c.participants.values()].map((p) => JSON.parse(p.attributes) as unknown),
    messages: c.messages.map((m) => ({ body: m.body, attributes: JSON.parse(m.attributes) as unknown })),
    webhooks: [...c.webhooks.values()].map((w) => w.url),
    sid: c.sid,
  }));
}

const configured = (contact: string, conversationSid: string, executionSid: string) => ({
  friendlyName: 'Harness',
  attributes: { src: 'harness' },
  participants: [{ role: 'customer' }],
  messages: [
    { body: `hello ${contact}`, attributes: { k: 'v' } },
    { body: `bye ${contact}`, attributes: {} },
  ],
  webhooks: [] as string[], // removed when the execution ended
  sid: conversationSid,
  executionSid,
});

describe("the customer's resources carry only what the flow configured", () => {
  let stack: TestStack;
  let studio: Studio;
  let flowSid: string;
  const nextContact = contactNumbers('+1556400');

  beforeAll(async () => {
    stack = await startStack('customer-resources');
    studio = stack.client.studio.v2;
    flowSid = await publish(studio, flow);
  });
  afterAll(() => stack?.stop());

  async function runAndRead(contact: string) {
    const run = await runToEnd(studio, flowSid, contact);
    const [conversation, ...more] = stored(stack, contact);
    return { run, conversation: conversation && { ...conversation, executionSid: run.execution.sid }, more: more.length };
  }

  test('when a flow creates a conversation, a participant and messages, then each holds exactly the attributes the flow configured', async () => {
    const contact = nextContact();
    const { run, conversation, more } = await runAndRead(contact);
    expect(run.events).toEqual(['incomingRequest', 'created', 'sent', 'sent']);
    expect(more).toBe(0);
    expect(conversation).toEqual(configured(contact, conversation!.sid, run.execution.sid));
  });

  const FAULTS: Array<[RouteName, 'status500' | 'drop']> = [
    ['conversations.create', 'status500'],
    ['conversations.create', 'drop'],
    ['messages.create', 'status500'],
    ['messages.create', 'drop'],
  ];

  test.each(FAULTS)('when %s commits then fails (%s), then the retry recognises what it made without a marker: everything once, as configured', async (route, after) => {
    const contact = nextContact();
    stack.twilio.faults.add({ route, kind: 'commit-then-fail', after, match: contact });
    const { run, conversation, more } = await runAndRead(contact);
    expect(run.events).toEqual(['incomingRequest', 'created', 'sent', 'sent']);
    expect(more).toBe(0);
    expect(conversation).toEqual(configured(contact, conversation!.sid, run.execution.sid));
  });

  test('when another conversation already holds the unique name and the first create fails, then the retry does not take it for its own: failed with 50353', async () => {
    const contact = nextContact();
    const theirs = await stack.emulatorClient.conversations.v1.conversations.create({ uniqueName: `harness-${contact}`, friendlyName: 'Harness', attributes: '{"src":"theirs"}' });
    stack.twilio.faults.add({ route: 'conversations.create', kind: 'status', status: 500, match: contact }); // answered 500, nothing made
    const run = await runToEnd(studio, flowSid, contact);
    expect(run.events).toEqual(['incomingRequest', 'failed']);
    expect(run.context.widgets.start?.error).toMatchObject({ code: 50353, stage: 'conversation' });
    const [only, ...more] = [...stack.twilio.store.conversations.values()].filter((c) => c.uniqueName === `harness-${contact}`);
    expect({ sid: only?.sid, attributes: only?.attributes, participants: only?.participants.size, more: more.length }).toEqual({
      sid: theirs.sid,
      attributes: '{"src":"theirs"}',
      participants: 0,
      more: 0,
    });
  });

  test('the webhook URL names the execution and its conversation, and nothing else', () => {
    const url = conversationWebhookUrl({ publicBaseUrl: 'https://studio.example' }, `FN${'a'.repeat(32)}`, `CH${'b'.repeat(32)}`);
    expect(url).toBe(`https://studio.example/webhooks/conversations/FN${'a'.repeat(32)}/CH${'b'.repeat(32)}`);
  });
});
