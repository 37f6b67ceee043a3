import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { conversationWebhookUrl } from '../../src/config';
import { getExecutionQuery } from '../../src/workflows/contracts/execution-messages';
import { exampleFlow, publish, restFlow, waitUntilEnded } from '../helpers/flows';
import { contactNumbers } from '../helpers/contacts';
import { recordingMeter, type RecordingMeter } from '../helpers/metrics';
import { startStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/wait';

type Studio = twilio.Twilio['studio']['v2'];

/** An SMS flow (no conversation) that asks and waits for a reply for an hour. */
const smsFlow = restFlow({
  name: 'ask',
  type: 'send-and-wait-for-reply',
  transitions: [{ event: 'incomingMessage' }, { event: 'timeout' }, { event: 'deliveryFailure' }],
  properties: { body: 'Anyone there?', timeout: '3600' },
});

const otherConversation = () => `CH${randomBytes(16).toString('hex')}`;

/**
 * The onMessageAdded webhook checks the conversation a message is from: a message that is not from the execution's
 * conversation never reaches a waiting widget, and the answer says so.
 */
describe('a signed onMessageAdded from another conversation than the execution’s', () => {
  let stack: TestStack;
  let studio: Studio;
  let meter: RecordingMeter;
  const nextContact = contactNumbers('+1556500');

  beforeAll(async () => {
    meter = recordingMeter();
    stack = await startStack('reply-conversation', { meter });
    studio = stack.client.studio.v2;
  });
  afterAll(() => stack?.stop());

  /** Posts `fields` to `url` as Twilio would: form-encoded and signed. */
  async function post(url: string, fields: Record<string, string>) {
    const params = { EventType: 'onMessageAdded', AccountSid: stack.config.twilio.accountSid, Source: 'SMS', Index: '1', Attributes: '{}', RetryCount: '0', ...fields };
    const signature = twilio.getExpectedTwilioSignature(stack.config.twilio.authToken, url, params);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  }

  const reply = (conversationSid: string, author: string, body: string) => ({
    ConversationSid: conversationSid,
    MessageSid: `IM${randomBytes(16).toString('hex')}`,
    Author: author,
    Body: body,
    DateCreated: new Date().toISOString(),
  });

  test('when it comes to the URL the execution registered, then 200 ignored, counted, and the waiting widget takes only the real reply', async () => {
    const flowSid = await publish(studio, exampleFlow('conversation-survey.json'), 'Survey');
    const to = nextContact();
    const { sid } = await studio.flows(flowSid).executions.create({ to, from: '+15559990000' });
    const conversation = await eventually(async () => stack.conversationsOf(sid).find((c) => c.messages.length > 0));
    const url = conversationWebhookUrl(stack.config, sid, conversation.sid);
    expect([...conversation.webhooks.values()].map((w) => w.url)).toEqual([url]);

    const stray = reply(otherConversation(), to, '1');
    const answer = await post(url, stray);

    expect(answer).toEqual({ status: 200, body: { ignored: `message from conversation ${stray.ConversationSid}, not the execution's ${conversation.sid}` } });
    expect(meter.total('studio_webhooks', ['outcome', 'ignored_other_conversation'])).toBe(1);
    const waiting = await stack.temporal.workflow.getHandle(sid).query(getExecutionQuery);
    expect(waiting?.stepCount).toBe(2); // still in ask_rating

    expect(await post(url, reply(conversation.sid, to, '5'))).toEqual({ status: 200, body: { delivered: expect.stringMatching(/^IM/) } });
    await eventually(async () => (conversation.messages.some((m) => m.body?.startsWith('Thank you')) ? true : undefined));
    const ended = await waitUntilEnded(studio, flowSid, sid);
    expect((ended.context as { flow: { variables: object } }).flow.variables).toMatchObject({ rating: 5 });
  });

  test('when the execution has no conversation (an SMS flow in Send & Wait), then the widget does not take it and the execution records why', async () => {
    const flowSid = await publish(studio, smsFlow, 'SMS ask');
    const to = nextContact();
    const { sid } = await studio.flows(flowSid).executions.create({ to, from: '+15559990000' });
    const handle = stack.temporal.workflow.getHandle(sid);
    // The prompt went out: the widget waits.
    await eventually(async () => ([...stack.twilio.store.messagingMessages.values()].some((m) => m.to === to) ? true : undefined));
    const before = (await handle.query(getExecutionQuery))!.stepCount;

    // The form of URL executions started before the conversation was in it: only the execution can check it.
    const stray = reply(otherConversation(), to, 'yes');
    expect((await post(conversationWebhookUrl(stack.config, sid), stray)).status).toBe(200);

    const view = await eventually(async () => {
      const current = await handle.query(getExecutionQuery);
      return current && current.warnings.length > 0 ? current : undefined;
    });
    expect(view.warnings.map((w) => [w.code, w.message])).toEqual([
      [81002, `message ${stray.MessageSid} is from conversation ${stray.ConversationSid}, but the execution has no conversation; it was ignored`],
    ]);
    expect({ status: view.status, stepCount: view.stepCount }).toEqual({ status: 'active', stepCount: before }); // still waiting in ask
    await studio.flows(flowSid).executions(sid).update({ status: 'ended' });
    const steps = await studio.flows(flowSid).executions(sid).steps.list();
    expect(steps.map((s) => s.name)).not.toContain('incomingMessage');
  });
});
