import type twilio from 'twilio';
import { getExecutionQuery } from '../../src/workflows/contracts/execution-messages';
import { contactNumbers } from '../helpers/contacts';
import { contactTexts, deliveredAnswers } from '../helpers/emulator-inbound';
import { type ExecutionContextShape, publish, restFlow, waitUntilEnded } from '../helpers/flows';
import { startHttpService } from '../helpers/http-service';
import { executionsOf, flowWebhookUrl, smsBodiesTo, smsSurveyFlow, triggeredFlow, webChatFlow } from '../helpers/inbound';
import { checkResponsesAndStop, startStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/wait';

const WORKFLOW = `WW${'4'.repeat(32)}`;

/**
 * Inbound channels end to end, as a new user tries them: the flow's URL is wired into the emulator with the official
 * client (an IncomingPhoneNumber's SmsUrl, an address configuration's auto-creation webhook), and the contact texts the
 * number through `POST /_emulator/inbound`, which routes the text as Twilio does.
 */
describe('inbound channels through the emulator (a contact texting a number)', () => {
  let stack: TestStack;
  let studio: twilio.Twilio['studio']['v2'];
  const nextContact = contactNumbers('+1555860');
  const nextNumber = contactNumbers('+1555870');

  beforeAll(async () => {
    stack = await startStack('inbound-through-emulator');
    studio = stack.client.studio.v2;
  });

  afterAll(() => checkResponsesAndStop(stack));

  /** A number whose Messaging webhook (SmsUrl, POST) is the flow's URL, bought in the emulator with the official client. */
  async function numberFor(flowSid: string): Promise<string> {
    const number = await stack.emulatorClient.incomingPhoneNumbers.create({ phoneNumber: nextNumber(), smsUrl: flowWebhookUrl(stack, flowSid), smsMethod: 'POST' });
    return number.phoneNumber;
  }

  /** The conversation's message bodies, once it holds `count`. */
  const conversationBodies = (sid: string, count: number) =>
    eventually(async () => {
      const bodies = stack.twilio.store.conversations.get(sid)!.messages.map((m) => m.body);
      return bodies.length >= count ? bodies : undefined;
    });

  test('when a contact’s first text reaches the number wired to an SMS survey, then an execution starts, asks over SMS and branches on the texted answer', async () => {
    const flowSid = await publish(studio, smsSurveyFlow(), 'SMS survey through the emulator');
    const [contact, number] = [nextContact(), await numberFor(flowSid)];

    const first = await contactTexts(stack, contact, number, 'hello');
    expect([first.route, first.deliveries]).toEqual(['incoming-phone-number', [{ kind: 'messaging', url: flowWebhookUrl(stack, flowSid), method: 'POST' }]]);
    const [execution] = await executionsOf(stack, flowSid, 1);
    expect(await smsBodiesTo(stack, contact, 1)).toEqual(['Thanks for writing "hello". How would you rate us, 1 to 5?']);
    const answer = await contactTexts(stack, contact, number, '4');
    const ended = await waitUntilEnded(studio, flowSid, execution!.sid);

    const context = ended.context as ExecutionContextShape & { trigger: { message: Record<string, string> } };
    expect(execution!.contactChannelAddress).toBe(contact);
    expect(context.trigger.message).toMatchObject({ MessageSid: first.message_sid, From: contact, To: number, Body: 'hello', SmsStatus: 'received' });
    expect(context.widgets.ask!.inbound).toMatchObject({ MessageSid: answer.message_sid, Body: '4' });
    const steps = await studio.flows(flowSid).executions(execution!.sid).steps.list();
    expect(steps.map((s) => s.name)).toEqual(['incomingMessage', 'incomingMessage', 'match', 'sent']);
    // Both directions, as the official client lists them from Twilio's Messages resource.
    const sent = await stack.emulatorClient.messages.list({ to: contact });
    expect(sent.map((m) => [m.from, m.body, m.direction]).reverse()).toEqual([
      [number, 'Thanks for writing "hello". How would you rate us, 1 to 5?', 'outbound-api'],
      [number, `Glad to hear it, ${contact}!`, 'outbound-api'],
    ]);
    const received = await stack.emulatorClient.messages.list({ from: contact });
    expect(received.map((m) => [m.sid, m.to, m.direction]).reverse()).toEqual([[first.message_sid, number, 'inbound'], [answer.message_sid, number, 'inbound']]);
    expect((await deliveredAnswers(stack, answer)).map((d) => [d.status, d.attempt])).toEqual([[200, 0]]);
  });

  test('when a REST-triggered notification waits for an SMS answer, then the contact’s text to the number reaches it and it branches on it', async () => {
    const flow = restFlow(
      {
        name: 'notify',
        type: 'send-and-wait-for-reply',
        transitions: [{ event: 'incomingMessage', next: 'answer' }, { event: 'timeout' }, { event: 'deliveryFailure' }],
        properties: { body: 'Your table is booked for 8 pm. Reply C to cancel, anything else to keep it.', timeout: '600' },
      },
      {
        name: 'answer',
        type: 'split-based-on',
        transitions: [{ event: 'noMatch', next: 'kept' }, { event: 'match', next: 'cancelled', conditions: [{ friendly_name: 'cancel', arguments: ['{{widgets.notify.inbound.Body}}'], type: 'equal_to', value: 'C' }] }],
        properties: { input: '{{widgets.notify.inbound.Body}}' },
      },
      { name: 'cancelled', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'Cancelled.' } },
      { name: 'kept', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'See you at 8.' } },
    );
    const flowSid = await publish(studio, flow, 'Booking reminder');
    const [contact, number] = [nextContact(), await numberFor(flowSid)];
    const { sid } = await studio.flows(flowSid).executions.create({ to: contact, from: number });
    await smsBodiesTo(stack, contact, 1);

    const answer = await contactTexts(stack, contact, number, 'c');
    const ended = await waitUntilEnded(studio, flowSid, sid);

    expect(answer.route).toBe('incoming-phone-number');
    const steps = await studio.flows(flowSid).executions(sid).steps.list();
    expect(steps.map((s) => [s.transitionedFrom, s.name])).toEqual([['Trigger', 'incomingRequest'], ['notify', 'incomingMessage'], ['answer', 'match'], ['cancelled', 'sent']]);
    expect((ended.context as ExecutionContextShape).widgets.notify!.inbound).toMatchObject({ Body: 'c', From: contact, To: number, MessageSid: answer.message_sid });
    expect(await smsBodiesTo(stack, contact, 2)).toEqual([expect.stringContaining('Reply C to cancel'), 'Cancelled.']);
    expect((await studio.flows(flowSid).executions.list()).map((e) => e.sid)).toEqual([sid]);
  });

  test('when an address configuration’s auto-creation starts a Conversations flow, then start-conversation fails at the channel stage, the flow hands off to Flex, and a later text reaches no flow', async () => {
    const flowSid = await publish(studio, webChatFlow(WORKFLOW), 'Web chat through an address configuration');
    const [contact, address] = [nextContact(), nextNumber()];
    const configuration = await stack.emulatorClient.conversations.v1.addressConfigurations.create({
      type: 'sms',
      address,
      'autoCreation.enabled': true,
      'autoCreation.type': 'webhook',
      'autoCreation.webhookUrl': flowWebhookUrl(stack, flowSid),
      'autoCreation.webhookMethod': 'post',
      'autoCreation.webhookFilters': ['onMessageAdded'],
    });
    const conversationsBefore = stack.twilio.store.conversations.size;

    const first = await contactTexts(stack, contact, address, 'hello');
    const conversationSid = first.conversation_sid!;
    expect([first.route, first.deliveries.map((d) => [d.kind, d.url])]).toEqual(['address-configuration', [['webhook', flowWebhookUrl(stack, flowSid)]]]);
    const [execution] = await executionsOf(stack, flowSid, 1);
    await conversationBodies(conversationSid, 2);
    const topic = await contactTexts(stack, contact, address, 'billing');
    const ended = await waitUntilEnded(studio, flowSid, execution!.sid);

    expect(topic.route).toBe('conversation');
    const context = ended.context as ExecutionContextShape & { trigger: { conversation: Record<string, string> } };
    const steps = await studio.flows(flowSid).executions(execution!.sid).steps.list();
    expect(steps.map((s) => s.name)).toEqual(['incomingConversationMessage', 'failed', 'incomingMessage', 'callComplete']);
    expect(context.widgets.start!.error).toMatchObject({ stage: 'channel' });
    expect(stack.twilio.store.conversations.size).toBe(conversationsBefore + 1); // the auto-created one; start-conversation made none
    expect(context.trigger.conversation).toMatchObject({ ConversationSid: conversationSid, Author: contact, Body: 'hello', Source: 'SMS' });
    expect(context.flow.channel).toMatchObject({ sid: conversationSid, type: 'conversation', status: 'handed_off' });
    const [interaction] = [...stack.twilio.store.interactions.values()].filter((i) => (i.channel as { properties?: { media_channel_sid?: string } }).properties?.media_channel_sid === conversationSid);
    expect(interaction?.routing).toMatchObject({ properties: { workflow_sid: WORKFLOW, attributes: { topic: 'billing' } } });
    expect(stack.twilio.store.conversations.get(conversationSid)!.webhooks.size).toBe(0); // the auto-created hook at the flow is gone

    const late = await contactTexts(stack, contact, address, 'anyone there?');
    expect([late.route, late.conversation_sid, late.deliveries]).toEqual(['conversation', conversationSid, []]); // posted nowhere
    expect(await conversationBodies(conversationSid, 4)).toEqual(['hello', expect.stringContaining('What is it about?'), 'billing', 'anyone there?']);
    expect((await studio.flows(flowSid).executions.list()).map((e) => e.sid)).toEqual([execution!.sid]);
    await stack.emulatorClient.conversations.v1.addressConfigurations(configuration.sid).remove();
  });

  test('when a conversation’s webhook targets studio with the flow’s SID, then the emulator delivers it to this API (the stack’s studio flow base URL) and the flow answers in the conversation', async () => {
    const flow = triggeredFlow('incomingConversationMessage', {
      name: 'echo',
      type: 'send-message',
      transitions: [{ event: 'sent' }, { event: 'failed' }],
      properties: { body: 'Studio target heard "{{trigger.conversation.Body}}"' },
    });
    const flowSid = await publish(studio, flow, 'Studio-target echo');
    const [contact, proxy] = [nextContact(), nextNumber()];
    const conversations = stack.emulatorClient.conversations.v1.conversations;
    const { sid: conversationSid } = await conversations.create({ friendlyName: 'wired the Studio way' });
    await conversations(conversationSid).participants.create({ 'messagingBinding.address': contact, 'messagingBinding.proxyAddress': proxy });
    await conversations(conversationSid).webhooks.create({ target: 'studio', 'configuration.flowSid': flowSid });

    const first = await contactTexts(stack, contact, proxy, 'ping');
    const [execution] = await executionsOf(stack, flowSid, 1);
    await waitUntilEnded(studio, flowSid, execution!.sid);

    expect([first.route, first.deliveries.map((d) => [d.kind, d.url])]).toEqual(['conversation', [['studio', flowWebhookUrl(stack, flowSid)]]]);
    expect((await deliveredAnswers(stack, first)).map((d) => [d.kind, d.status])).toEqual([['studio', 200]]);
    expect(await conversationBodies(conversationSid, 2)).toEqual(['ping', 'Studio target heard "ping"']);
  });

  test('when one contact texts two flows’ numbers, then each flow runs its own execution and answers from its own number', async () => {
    const [surveyA, surveyB] = [await publish(studio, smsSurveyFlow(), 'Survey A by text'), await publish(studio, smsSurveyFlow(), 'Survey B by text')];
    const [numberA, numberB] = [await numberFor(surveyA), await numberFor(surveyB)];
    const contact = nextContact();

    await contactTexts(stack, contact, numberA, 'to A');
    await contactTexts(stack, contact, numberB, 'to B');

    const [a, b] = [await executionsOf(stack, surveyA, 1), await executionsOf(stack, surveyB, 1)];
    expect([a.length, b.length, a[0]!.sid === b[0]!.sid]).toEqual([1, 1, false]);
    await smsBodiesTo(stack, contact, 2);
    const sent = await stack.emulatorClient.messages.list({ to: contact });
    expect(sent.map((m) => [m.from, m.body]).sort()).toEqual([
      [numberA, 'Thanks for writing "to A". How would you rate us, 1 to 5?'],
      [numberB, 'Thanks for writing "to B". How would you rate us, 1 to 5?'],
    ]);
    for (const [flowSid, [execution]] of [[surveyA, a], [surveyB, b]] as const) await studio.flows(flowSid).executions(execution!.sid).update({ status: 'ended' });
  });

  test('when the contact texts while the execution is busy, then warning 81002, nothing lost, nothing started, and the next answer is taken', async () => {
    const service = await startHttpService({ '/lookup': { status: 200, body: 'ok', hold: true } });
    const flow = triggeredFlow(
      'incomingMessage',
      { name: 'lookup', type: 'make-http-request', transitions: [{ event: 'success', next: 'ask' }, { event: 'failed' }], properties: { method: 'GET', url: `${service.url}/lookup` } },
      { name: 'ask', type: 'send-and-wait-for-reply', transitions: [{ event: 'incomingMessage' }, { event: 'timeout' }, { event: 'deliveryFailure' }], properties: { body: 'Which order?', timeout: '600' } },
    );
    const flowSid = await publish(studio, flow, 'Busy flow by text');
    const [contact, number] = [nextContact(), await numberFor(flowSid)];
    await contactTexts(stack, contact, number, 'hi');
    await eventually(async () => (service.requests.length > 0 ? true : undefined));
    const [execution] = await executionsOf(stack, flowSid, 1);

    const early = await contactTexts(stack, contact, number, 'hurry up');
    const attempts = await deliveredAnswers(stack, early);
    const warned = await eventually(async () => {
      const view = await stack.temporal.workflow.getHandle(execution!.sid).query(getExecutionQuery);
      return view?.warnings.length ? view.warnings : undefined;
    });
    service.release('/lookup');
    await smsBodiesTo(stack, contact, 1);
    const answer = await contactTexts(stack, contact, number, '1001');
    const ended = await waitUntilEnded(studio, flowSid, execution!.sid);
    await service.close();

    expect(attempts.map((d) => [d.status, d.attempt])).toEqual([[200, 0]]); // taken at the first try: nothing for Twilio to redeliver
    expect(warned.map((w) => w.code)).toEqual([81002]);
    expect(warned[0]!.message).toContain(early.message_sid);
    expect((await stack.emulatorClient.messages.list({ from: contact })).map((m) => m.body).reverse()).toEqual(['hi', 'hurry up', '1001']); // every text kept by Twilio
    expect((ended.context as ExecutionContextShape).widgets.ask!.inbound).toMatchObject({ Body: '1001', MessageSid: answer.message_sid });
    expect((await studio.flows(flowSid).executions.list()).map((e) => e.sid)).toEqual([execution!.sid]);
  });
});
