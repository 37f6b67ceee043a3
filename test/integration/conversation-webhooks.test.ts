import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import type { ConversationRecord } from '../../emulator/records';
import { getExecutionQuery } from '../../src/workflows/contracts/execution-messages';
import { exampleFlow, publish, waitUntilEnded } from '../helpers/flows';
import { startHttpService } from '../helpers/http-service';
import { contactNumbers } from '../helpers/contacts';
import { startStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/wait';

/** The onMessageAdded receiver: signatures, redeliveries, ended executions, malformed bodies, timing. */
describe('POST /webhooks/conversations/:executionSid', () => {
  let stack: TestStack;
  let client: twilio.Twilio;
  let emulatorClient: twilio.Twilio;
  let surveySid: string;
  const nextContact = contactNumbers('+1555400');

  beforeAll(async () => {
    stack = await startStack('webhooks');
    client = stack.client;
    emulatorClient = stack.emulatorClient;
    surveySid = await publish(client.studio.v2, exampleFlow('conversation-survey.json'), 'Survey');
  });

  afterAll(() => stack?.stop());

  /** Starts the survey and waits until it asks; returns the execution and its conversation. */
  async function startSurvey(): Promise<{ sid: string; to: string; conversation: ConversationRecord }> {
    const to = nextContact();
    const { sid } = await client.studio.v2.flows(surveySid).executions.create({ to, from: '+15559990000' });
    const conversation = await eventually(async () =>
      stack.conversationsOf(sid).find((c) => c.messages.length > 0),
    );
    return { sid, to, conversation };
  }

  /** A webhook request exactly as Twilio would send it for `fields`, signed unless told otherwise. */
  function post(executionSid: string, fields: Record<string, string>, signature?: string | null) {
    const url = `${stack.config.publicBaseUrl}/webhooks/conversations/${executionSid}`;
    const params = { EventType: 'onMessageAdded', AccountSid: stack.config.twilio.accountSid, Source: 'SMS', Index: '1', Attributes: '{}', RetryCount: '0', ...fields };
    const sign = signature === undefined ? twilio.getExpectedTwilioSignature(stack.config.twilio.authToken, url, params) : signature;
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(sign === null ? {} : { 'x-twilio-signature': sign }) },
      body: new URLSearchParams(params),
    });
  }

  const message = (conversation: ConversationRecord, author: string, body: string) => ({
    ConversationSid: conversation.sid,
    MessageSid: `IM${randomBytes(16).toString('hex')}`,
    Author: author,
    Body: body,
    DateCreated: new Date().toISOString(),
  });

  test('when the signature is forged, then 403; when it is missing, then 400; and the flow sees neither', async () => {
    const { sid, to, conversation } = await startSurvey();

    const forged = await post(sid, message(conversation, to, '5'), 'bm90IGEgc2lnbmF0dXJl');
    const unsigned = await post(sid, message(conversation, to, '5'), null);

    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ code: 20003, status: 403 });
    expect(unsigned.status).toBe(400);
    const view = await stack.temporal.workflow.getHandle(sid).query(getExecutionQuery);
    expect(view?.stepCount).toBe(2); // still waiting in ask_rating
    await client.studio.v2.flows(surveySid).executions(sid).update({ status: 'ended' });
  });

  test('when Twilio redelivers a message, then the flow takes it once', async () => {
    const { sid, to, conversation } = await startSurvey();
    const rating = message(conversation, to, '2');

    expect((await post(sid, rating)).status).toBe(200);
    await eventually(async () => (conversation.messages.some((m) => m.body?.startsWith('Sorry to hear that')) ? true : undefined));
    expect((await post(sid, { ...rating, RetryCount: '1' })).status).toBe(200); // the same MessageSid again
    expect((await post(sid, message(conversation, to, 'More coffee'))).status).toBe(200);

    const ended = await waitUntilEnded(client.studio.v2, surveySid, sid);
    expect((ended.context as { flow: { variables: object } }).flow.variables).toEqual({ rating: 2, sentiment: 'negative', feedback: 'More coffee' });
  });

  test('when the execution has ended or never existed, then 200 and nothing else happens', async () => {
    const { sid, to, conversation } = await startSurvey();
    await client.studio.v2.flows(surveySid).executions(sid).update({ status: 'ended' });
    await eventually(async () => ((await stack.temporal.workflow.getHandle(sid).describe()).status.name !== 'RUNNING' ? true : undefined));

    const late = await post(sid, message(conversation, to, '5'));
    const unknown = await post(`FN${'0'.repeat(32)}`, message(conversation, to, '5'));

    expect([late.status, unknown.status]).toEqual([200, 200]);
    expect(await late.json()).toEqual({ ignored: 'no active execution' });
  });

  test.each([
    ['no MessageSid', { MessageSid: '' }, 'missing MessageSid'],
    ['another event type', { EventType: 'onConversationAdded' }, 'Only onMessageAdded is accepted'],
  ])('when the body has %s, then 400 naming the problem', async (_what, override, text) => {
    const { sid, to, conversation } = await startSurvey();
    const response = await post(sid, { ...message(conversation, to, '5'), ...override });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain(text);
    await client.studio.v2.flows(surveySid).executions(sid).update({ status: 'ended' });
  });

  test('when the message was authored by the flow itself, then it is ignored', async () => {
    const { sid, conversation } = await startSurvey();
    const response = await post(sid, message(conversation, 'studio', '5'));
    expect(await response.json()).toEqual({ ignored: 'authored by the flow' });
    await client.studio.v2.flows(surveySid).executions(sid).update({ status: 'ended' });
  });

  test('when the contact replies before the prompt’s send has even returned, then the reply is not lost', async () => {
    stack.twilio.faults.add({ route: 'messages.create', kind: 'delay', ms: 1500 }); // the prompt's create is slow
    const promptInFlight = stack.twilio.faults.nextRequest('messages.create');
    const to = nextContact();
    const { sid } = await client.studio.v2.flows(surveySid).executions.create({ to, from: '+15559990000' });
    await promptInFlight;
    const conversation = stack.conversationsOf(sid)[0]!;

    await emulatorClient.conversations.v1.conversations(conversation.sid).messages.create({ author: to, body: '4', xTwilioWebhookEnabled: 'true' });

    const ended = await waitUntilEnded(client.studio.v2, surveySid, sid);
    expect((ended.context as { flow: { variables: object } }).flow.variables).toEqual({ rating: 4, sentiment: 'positive' });
    const bodies = conversation.messages.map((m) => m.body);
    expect(bodies[0]).toBe('4'); // the reply reached Twilio before the prompt did
    expect(bodies.at(-1)).toBe('Thank you! We noted your rating of 4.');
  });

  test('when a reply arrives while no widget waits, then it is ignored and recorded as a warning', async () => {
    const flow = exampleFlow('conversation-survey.json');
    const quiet = { ...flow, states: flow.states.map((s) => (s.name === 'start_conversation' ? { ...s, transitions: [{ event: 'created', next: 'hold' }, { event: 'failed' }] } : s)) };
    const slow = await startHttpService({ '/slow': { status: 200, body: 'ok', delayMs: 1500 } });
    const hold = { name: 'hold', type: 'make-http-request', transitions: [{ event: 'success' }, { event: 'failed' }], properties: { method: 'GET', url: `${slow.url}/slow` } };
    const flowSid = await publish(client.studio.v2, { ...quiet, states: [...quiet.states, hold] });
    const to = nextContact();
    const { sid } = await client.studio.v2.flows(flowSid).executions.create({ to, from: '+15559990000' });
    const conversation = await eventually(async () => stack.conversationsOf(sid)[0]);
    // Once the execution holds its conversation (start-conversation done, `hold` running), nothing waits for a reply.
    await eventually(async () => (await stack.temporal.workflow.getHandle(sid).query(getExecutionQuery))?.context.flow.channel.sid);

    const stray = message(conversation, to, 'hello?');
    expect((await post(sid, stray)).status).toBe(200);

    await waitUntilEnded(client.studio.v2, flowSid, sid);
    await slow.close();
    const view = await stack.temporal.workflow.getHandle(sid).query(getExecutionQuery);
    expect(view?.warnings.map((w) => [w.code, w.message])).toEqual([[81002, `message ${stray.MessageSid} arrived while no widget was waiting for a reply; it was ignored`]]);
  });
});
