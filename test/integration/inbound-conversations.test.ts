import type twilio from 'twilio';
import { contactNumbers } from '../helpers/contacts';
import { type ExecutionContextShape, publish, waitUntilEnded } from '../helpers/flows';
import { startHttpService } from '../helpers/http-service';
import { conversationWiredToFlow, executionsOf, flowWebhookUrl, triggeredFlow, webChatFlow } from '../helpers/inbound';
import { checkResponsesAndStop, startStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/wait';

const WORKFLOW = `WW${'3'.repeat(32)}`;

describe('flows started by a message added to a Conversation (incomingConversationMessage)', () => {
  let stack: TestStack;
  let studio: twilio.Twilio['studio']['v2'];
  const nextContact = contactNumbers('+1555840');
  const proxy = '+15558490000';

  beforeAll(async () => {
    stack = await startStack('inbound-conversations');
    studio = stack.client.studio.v2;
  });

  afterAll(() => checkResponsesAndStop(stack));

  const conversation = (sid: string) => stack.twilio.store.conversations.get(sid)!;
  /** Waits until the conversation holds a message whose body starts with `start`. */
  const waitForMessage = (sid: string, start: string) => eventually(async () => (conversation(sid).messages.some((m) => m.body?.startsWith(start)) ? true : undefined));

  test('when a wired conversation starts the flow, then start-conversation fails at the channel stage, the flow talks in the conversation, and the hand-off to Flex unhooks it', async () => {
    const flow = webChatFlow(WORKFLOW);
    const flowSid = await publish(studio, flow, 'Web chat bot');
    const contact = nextContact();
    const { conversationSid, webhookSid } = await conversationWiredToFlow(stack, flowSid, contact, proxy);
    const other = await startHttpService({ '/crm': { status: 200, body: 'ok' } });
    const crm = await stack.emulatorClient.conversations.v1.conversations(conversationSid).webhooks.create({ target: 'webhook', 'configuration.url': `${other.url}/crm`, 'configuration.method': 'post', 'configuration.filters': ['onMessageAdded'] });
    const conversationsBefore = stack.twilio.store.conversations.size;

    await stack.reply(conversationSid, contact, 'hello');
    const [execution] = await executionsOf(stack, flowSid, 1);
    await waitForMessage(conversationSid, 'Hi ');
    await stack.reply(conversationSid, contact, 'billing');
    const ended = await waitUntilEnded(studio, flowSid, execution!.sid);

    const context = ended.context as ExecutionContextShape & { trigger: { conversation: Record<string, string> }; contact: { channel: { address: string } } };
    const steps = await studio.flows(flowSid).executions(execution!.sid).steps.list();
    expect(steps.map((s) => s.name)).toEqual(['incomingConversationMessage', 'failed', 'incomingMessage', 'callComplete']);
    expect(context.widgets.start!.error).toEqual({ code: 20001, message: expect.stringContaining('already has an inbound Conversation channel'), stage: 'channel' });
    expect(stack.twilio.store.conversations.size).toBe(conversationsBefore); // start-conversation created nothing
    expect(context.trigger.conversation).toMatchObject({ EventType: 'onMessageAdded', ConversationSid: conversationSid, Author: contact, Body: 'hello', WebhookSid: webhookSid });
    expect(context.contact.channel.address).toBe(contact);
    expect(context.flow.channel).toMatchObject({ sid: conversationSid, type: 'conversation', status: 'handed_off' });
    expect(context.widgets.ask!.inbound).toMatchObject({ ConversationSid: conversationSid, Body: 'billing', Author: contact });
    expect(conversation(conversationSid).messages.map((m) => m.body)).toEqual(['hello', `Hi ${contact}, you wrote "hello". What is it about?`, 'billing']);
    const [interaction] = [...stack.twilio.store.interactions.values()].filter((i) => (i.channel as { properties?: { media_channel_sid?: string } }).properties?.media_channel_sid === conversationSid);
    expect(interaction?.routing).toMatchObject({ properties: { workflow_sid: WORKFLOW, attributes: { topic: 'billing' } } });
    expect([...conversation(conversationSid).webhooks.keys()]).toEqual([crm.sid]); // the flow's webhook is gone; the user's CRM hook stays

    await stack.reply(conversationSid, contact, 'anyone there?');
    await eventually(async () => (other.requests.length === 3 ? true : undefined)); // the CRM heard all three messages
    await other.close();
    const flowUrl = flowWebhookUrl(stack, flowSid);
    const lateMessage = conversation(conversationSid).messages.at(-1)!;
    expect(stack.twilio.deliveries().filter((d) => d.url === flowUrl && d.messageSid === lateMessage.sid)).toEqual([]); // it never reached the flow
    expect((await studio.flows(flowSid).executions.list()).map((e) => e.sid)).toEqual([execution!.sid]); // nor started one
  });

  test('when a Conversations-triggered execution ends, then the user’s webhook stays and the next message starts the next execution', async () => {
    const flow = triggeredFlow('incomingConversationMessage', {
      name: 'echo',
      type: 'send-message',
      transitions: [{ event: 'sent' }, { event: 'failed' }],
      properties: { body: 'Got "{{trigger.conversation.Body}}"' },
    });
    const flowSid = await publish(studio, flow, 'Echo bot');
    const contact = nextContact();
    const { conversationSid, webhookSid } = await conversationWiredToFlow(stack, flowSid, contact, proxy);

    await stack.reply(conversationSid, contact, 'one');
    const [first] = await executionsOf(stack, flowSid, 1);
    const firstEnded = await waitUntilEnded(studio, flowSid, first!.sid);
    expect([...conversation(conversationSid).webhooks.keys()]).toEqual([webhookSid]);
    await stack.reply(conversationSid, contact, 'two');
    const both = await executionsOf(stack, flowSid, 2);
    const second = both.find((e) => e.sid !== first!.sid)!;
    await waitUntilEnded(studio, flowSid, second.sid);

    expect((firstEnded.context as ExecutionContextShape).flow.channel).toMatchObject({ sid: conversationSid, status: 'ended' });
    expect(conversation(conversationSid).messages.map((m) => m.body)).toEqual(['one', 'Got "one"', 'two', 'Got "two"']);
    expect([...conversation(conversationSid).webhooks.keys()]).toEqual([webhookSid]);
    expect(both).toHaveLength(2);
  });
});
