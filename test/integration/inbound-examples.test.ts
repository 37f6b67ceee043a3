import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type twilio from 'twilio';
import { type InboundExample, wireExampleChannels } from '../../scripts/lib/example-channels';
import { createTwilioClient } from '../../src/activities/twilio/twilio-client';
import { PROJECT_ROOT } from '../../src/project-root';
import { contactNumbers } from '../helpers/contacts';
import { contactTexts } from '../helpers/emulator-inbound';
import { type ExecutionContextShape, exampleFlow, publish, waitUntilEnded } from '../helpers/flows';
import { executionsOf, smsBodiesTo } from '../helpers/inbound';
import { checkResponsesAndStop, startStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/wait';

interface IndexEntry extends InboundExample {
  readonly file: string;
}

const index = JSON.parse(readFileSync(join(PROJECT_ROOT, 'flows', 'index.json'), 'utf8')) as { flows: IndexEntry[] };
const entry = (file: string) => index.flows.find((f) => f.file === file)!;

/**
 * The inbound examples in flows/ played as the README plays them against `npm start`: published, wired by the same
 * code `npm start` runs (an IncomingPhoneNumber for the SMS bot, an address configuration for the web chat), and
 * texted through the emulator. Each is published under a new SID here (the fixed SIDs belong to `npm start`).
 */
describe('the inbound example flows, texted through the emulator', () => {
  let stack: TestStack;
  let studio: twilio.Twilio['studio']['v2'];
  const nextContact = contactNumbers('+1555880');
  const examples: Record<string, InboundExample> = {};

  beforeAll(async () => {
    stack = await startStack('inbound-examples');
    studio = stack.client.studio.v2;
    for (const file of ['sms-menu-bot.json', 'web-chat-to-flex.json']) {
      const { friendly_name, inbound } = entry(file);
      examples[file] = { sid: await publish(studio, exampleFlow(file), friendly_name), friendly_name, inbound };
    }
  });

  afterAll(() => checkResponsesAndStop(stack));

  test('wiring is what npm start prints, and wiring again changes nothing', async () => {
    const client = createTwilioClient(stack.config.twilio);
    const wired = await wireExampleChannels(client, stack.config, Object.values(examples));
    const again = await wireExampleChannels(client, stack.config, Object.values(examples));

    expect(again).toEqual(wired);
    expect(wired.map((w) => [w.type, w.address, w.flowSid, w.resourceSid.slice(0, 2)])).toEqual([
      ['incoming-phone-number', '+15550100100', examples['sms-menu-bot.json']!.sid, 'PN'],
      ['address-configuration', '+15550100200', examples['web-chat-to-flex.json']!.sid, 'IG'],
    ]);
    const [number] = await stack.emulatorClient.incomingPhoneNumbers.list();
    expect([number?.phoneNumber, number?.smsUrl, number?.smsMethod]).toEqual(['+15550100100', wired[0]!.flowUrl, 'POST']);
    const configurations = await stack.emulatorClient.conversations.v1.addressConfigurations.list();
    expect(configurations.map((c) => [c.address, c.autoCreation])).toEqual([
      ['+15550100200', expect.objectContaining({ enabled: true, type: 'webhook', webhook_url: wired[1]!.flowUrl, webhook_filters: ['onMessageAdded'] })],
    ]);
  });

  test('when a contact texts the SMS menu bot, then it loops on the menu until 0, answering 1, 2 and what it does not understand', async () => {
    const flowSid = examples['sms-menu-bot.json']!.sid;
    const contact = nextContact();
    const menu = 'Hi! Reply 1 for opening hours, 2 for order status, 0 to stop.';
    const transcript: string[] = [];
    /** Texts `body`, then waits for the bot's `replies` answers and returns them. */
    const say = async (body: string, replies: number) => {
      await contactTexts(stack, contact, '+15550100100', body);
      const bodies = await smsBodiesTo(stack, contact, transcript.length + replies);
      const answered = bodies.slice(transcript.length);
      transcript.push(...answered);
      return answered;
    };

    await contactTexts(stack, contact, '+15550100100', 'hi');
    transcript.push(...(await smsBodiesTo(stack, contact, 1)));
    const [execution] = await executionsOf(stack, flowSid, 1);

    expect(transcript).toEqual([menu]);
    expect(await say('what?', 2)).toEqual(['Sorry, I did not understand "what?".', menu]);
    expect(await say(' 1 ', 2)).toEqual(['We are open Monday to Friday, 9:00 to 17:00.', menu]);
    expect(await say('2', 1)).toEqual(['What is your order number? (4 digits)']);
    expect(await say('soon', 2)).toEqual(['"soon" is not an order number.', menu]);
    expect(await say('2', 1)).toEqual(['What is your order number? (4 digits)']);
    expect(await say('1234', 2)).toEqual(['Order 1234 is being prepared; we will text you when it ships.', menu]);
    expect(await say('0', 1)).toEqual(['Bye! Text us any time.']);
    const ended = await waitUntilEnded(studio, flowSid, execution!.sid);

    expect(ended.contactChannelAddress).toBe(contact);
    const sent = await stack.emulatorClient.messages.list({ to: contact });
    expect(new Set(sent.map((m) => m.from))).toEqual(new Set(['+15550100100'])); // every answer from the number texted
    expect((await studio.flows(flowSid).executions.list()).map((e) => e.sid)).toEqual([execution!.sid]); // one execution heard all 8 texts
    const steps = await studio.flows(flowSid).executions(execution!.sid).steps.list();
    expect(steps.filter((s) => s.transitionedFrom === 'menu').map((s) => s.name)).toEqual(Array(5).fill('incomingMessage')) // what?, 1, 2, 2, 0;
  });

  test('when a contact texts the web chat’s number, then a conversation is created, the bot greets and asks, and hands the conversation to Flex with the answer', async () => {
    const flowSid = examples['web-chat-to-flex.json']!.sid;
    const contact = nextContact();
    const bodies = (sid: string, count: number) =>
      eventually(async () => {
        const all = stack.twilio.store.conversations.get(sid)!.messages.map((m) => m.body);
        return all.length >= count ? all : undefined;
      });

    const first = await contactTexts(stack, contact, '+15550100200', 'My parcel is late');
    const conversationSid = first.conversation_sid!;
    const [execution] = await executionsOf(stack, flowSid, 1);
    expect(await bodies(conversationSid, 3)).toEqual(['My parcel is late', 'Hi, thanks for getting in touch! A bot here first, then one of our agents.', 'In a few words, what is your question about?']);
    const topic = await contactTexts(stack, contact, '+15550100200', 'delivery');
    const ended = await waitUntilEnded(studio, flowSid, execution!.sid);

    expect([first.route, topic.route, topic.conversation_sid]).toEqual(['address-configuration', 'conversation', conversationSid]);
    expect((ended.context as ExecutionContextShape).flow.channel).toMatchObject({ sid: conversationSid, status: 'handed_off' });
    const [interaction] = [...stack.twilio.store.interactions.values()].filter((i) => (i.channel as { properties?: { media_channel_sid?: string } }).properties?.media_channel_sid === conversationSid);
    expect(interaction?.routing).toMatchObject({
      properties: { workflow_sid: 'WW0000000000000000000000000000e1a5', task_channel_sid: 'TC0000000000000000000000000000c4a7', attributes: { name: contact, topic: 'delivery', first_message: 'My parcel is late' } },
    });
    const after = await contactTexts(stack, contact, '+15550100200', 'hello?');
    expect(after.deliveries).toEqual([]); // the agent's conversation now: the bot hears nothing more
  });
});
