import type twilio from 'twilio';
import type { FlowDefinition } from '../../src/flow/definition';
import { CONVERSATION_MEDIA_REFUSED } from '../../src/workflows/execution/effect-runner';
import { contactNumbers } from '../helpers/contacts';
import { publish, restFlow, runToEnd } from '../helpers/flows';
import { checkResponsesAndStop, startStack, type TestStack } from '../helpers/stack';

const TEMPLATE = `HX${'a'.repeat(32)}`;
/** Studio's form of Content variables: a list whose keys name the template's placeholders. */
const VARIABLES = [
  { key: '{{1}}', value: '{{flow.data.name}}' },
  { key: '2', value: 'order {{flow.data.order}}' },
];
const sms = { type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: '+15559990000' };

/** start-conversation, then the given widget (its transitions set here). */
function inConversation(widget: { name: string; type: string; properties: Record<string, unknown> }): FlowDefinition {
  const events = widget.type === 'send-message' ? ['sent', 'failed'] : ['incomingMessage', 'timeout', 'deliveryFailure'];
  return restFlow(
    { name: 'open', type: 'start-conversation', transitions: [{ event: 'created', next: widget.name }, { event: 'failed' }], properties: { participants: [sms] } },
    { ...widget, transitions: events.map((event) => ({ event })) },
  );
}

/** What a flow configures on a message is sent, the way Twilio takes it, or the widget fails saying why. */
describe('message content a flow configures', () => {
  let stack: TestStack;
  let studio: twilio.Twilio['studio']['v2'];
  const nextContact = contactNumbers('+1555820');

  beforeAll(async () => {
    stack = await startStack('message-content');
    studio = stack.client.studio.v2;
  });

  afterAll(() => checkResponsesAndStop(stack));

  test('when send-message without a conversation names a Content template, then Messaging gets ContentSid and ContentVariables', async () => {
    const to = nextContact();
    const flow = restFlow({
      name: 'tell',
      type: 'send-message',
      transitions: [{ event: 'sent' }, { event: 'failed' }],
      properties: { from: '{{flow.channel.address}}', to: '{{contact.channel.address}}', body: '', content_sid: TEMPLATE, content_variables: VARIABLES },
    });

    const run = await runToEnd(studio, await publish(studio, flow), to, { name: 'Ada', order: '77' });

    expect(run.events.at(-1)).toBe('sent');
    const sent = [...stack.twilio.store.messagingMessages.values()].filter((m) => m.to === to);
    expect(sent.map((m) => ({ contentSid: m.contentSid, variables: JSON.parse(m.contentVariables ?? 'null') }))).toEqual([
      { contentSid: TEMPLATE, variables: { 1: 'Ada', 2: 'order 77' } },
    ]);
  });

  test.each(['send-message', 'send-and-wait-for-reply'])('when %s in a conversation names a Content template, then the message carries it', async (type) => {
    const to = nextContact();
    const flow = inConversation({ name: 'ask', type, properties: { body: 'fallback text', content_sid: TEMPLATE, content_variables: VARIABLES, timeout: '1' } });

    const run = await runToEnd(studio, await publish(studio, flow), to, { name: 'Grace', order: '12' });

    expect(run.events.at(-1)).toBe(type === 'send-message' ? 'sent' : 'timeout');
    const conversation = stack.twilio.store.conversations.get(String(run.context.flow.channel.sid))!;
    expect(conversation.messages.map((m) => ({ contentSid: m.contentSid, variables: JSON.parse(m.contentVariables ?? 'null') }))).toEqual([
      { contentSid: TEMPLATE, variables: { 1: 'Grace', 2: 'order 12' } },
    ]);
  });

  test('when Content variables do not render to a JSON object, then Twilio’s refusal fails the widget', async () => {
    const flow = inConversation({ name: 'ask', type: 'send-message', properties: { body: 'x', content_sid: TEMPLATE, content_variables: '{{flow.data.name}}' } });
    const run = await runToEnd(studio, await publish(studio, flow), nextContact(), { name: 'not json' });
    expect(run.events.at(-1)).toBe('failed');
    expect(run.context.widgets.ask?.outbound).toMatchObject({ ErrorMessage: expect.stringContaining('ContentVariables') });
  });

  test.each([
    ['send-message', 'failed'],
    ['send-and-wait-for-reply', 'deliveryFailure'],
  ])('when %s in a conversation has a media_url, then it is a warning on save and the widget takes %s with the reason', async (type, event) => {
    const flow = inConversation({ name: 'ask', type, properties: { body: 'see the picture', media_url: 'https://example.com/offer.png', timeout: '60' } });
    const created = await studio.flows.create({ friendlyName: 'media', status: 'published', definition: flow });
    expect(created.warnings).toContainEqual({ property_path: '#/states/2/properties/media_url', message: expect.stringContaining('Programmable Messaging only') });

    const run = await runToEnd(studio, created.sid, nextContact());

    expect(run.events.at(-1)).toBe(event);
    expect(run.context.widgets.ask?.outbound).toEqual({ ErrorCode: null, ErrorMessage: CONVERSATION_MEDIA_REFUSED });
    expect(stack.twilio.store.conversations.get(String(run.context.flow.channel.sid))!.messages).toHaveLength(0); // not sent without its media
  });

  test('when send-message without a conversation has a media_url, then Messaging gets it', async () => {
    const to = nextContact();
    const flow = restFlow({ name: 'tell', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'see', media_url: 'https://example.com/a.png, https://example.com/b.png' } });
    const run = await runToEnd(studio, await publish(studio, flow), to);
    expect(run.events.at(-1)).toBe('sent');
    expect([...stack.twilio.store.messagingMessages.values()].filter((m) => m.to === to).map((m) => m.mediaUrls)).toEqual([['https://example.com/a.png', 'https://example.com/b.png']]);
  });
});
