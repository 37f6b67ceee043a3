import type twilio from 'twilio';
import { exampleFlow, publish, waitUntilEnded } from '../helpers/flows';
import { startStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/wait';

/** The example survey, played through as a new user would: the official client on both sides. */
describe('the conversation survey, end to end', () => {
  let stack: TestStack;
  let client: twilio.Twilio;
  let emulatorClient: twilio.Twilio;
  let flowSid: string;

  beforeAll(async () => {
    stack = await startStack('survey');
    client = stack.client;
    emulatorClient = stack.emulatorClient;
    flowSid = await publish(client.studio.v2, exampleFlow('conversation-survey.json'), 'Survey');
  });

  afterAll(() => stack?.stop());

  const conversationsOf = (contact: string) =>
    [...stack.twilio.store.conversations.values()].filter((c) => [...c.participants.values()].some((p) => p.address === contact));

  test('when the contact answers 5, then the flow thanks them for a positive rating, ends and removes its webhook', async () => {
    const contact = '+15550101001';
    const execution = await client.studio.v2.flows(flowSid).executions.create({ to: contact, from: '+15559990000', parameters: { name: 'Ada' } });

    const conversation = await eventually(async () => conversationsOf(contact)[0]);
    const prompt = await eventually(async () => conversation.messages.find((m) => m.body?.startsWith('Hi Ada!')));
    expect(prompt.author).toBe('studio');
    expect([...conversation.webhooks.values()].map((w) => w.url)).toEqual([`${stack.api.url}/webhooks/conversations/${execution.sid}/${conversation.sid}`]);

    await emulatorClient.conversations.v1.conversations(conversation.sid).messages.create({ author: contact, body: '5', xTwilioWebhookEnabled: 'true' });

    const ended = await waitUntilEnded(client.studio.v2, flowSid, execution.sid);
    const bodies = conversation.messages.map((m) => m.body);
    expect(bodies.at(-1)).toBe('Thank you! We noted your rating of 5.');
    expect(conversation.webhooks.size).toBe(0);
    const context = ended.context as { flow: { channel: Record<string, unknown>; variables: object }; widgets: Record<string, Record<string, unknown>> };
    expect(context.flow.channel).toMatchObject({ sid: conversation.sid, type: 'conversation', status: 'ended' });
    // Set Variables types the rendered reply `5` as a number, as Studio does (set-variables.ts studioTyped).
    expect(context.flow.variables).toEqual({ rating: 5, sentiment: 'positive' });
    expect(context.widgets.ask_rating?.inbound).toMatchObject({ Body: '5', Author: contact, ConversationSid: conversation.sid });
  });
});
