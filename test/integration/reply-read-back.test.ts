import twilio from 'twilio';
import type { MessageRecord } from '../../emulator/records';
import { getExecutionQuery } from '../../src/workflows/contracts/execution-messages';
import { contactNumbers } from '../helpers/contacts';
import { publish, restFlow, waitUntilEnded } from '../helpers/flows';
import { startStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/wait';

const participant = { type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: '+15559990000' };

/** start → first (2 s) → second (600 s) → done: two questions, each answer echoed at the end. */
const flow = restFlow(
  { name: 'start', type: 'start-conversation', transitions: [{ event: 'created', next: 'first' }, { event: 'failed' }], properties: { participants: [participant] } },
  {
    name: 'first',
    type: 'send-and-wait-for-reply',
    transitions: [{ event: 'incomingMessage', next: 'second' }, { event: 'timeout' }, { event: 'deliveryFailure' }],
    properties: { body: 'First question?', timeout: '2' },
  },
  {
    name: 'second',
    type: 'send-and-wait-for-reply',
    transitions: [{ event: 'incomingMessage', next: 'done' }, { event: 'timeout' }, { event: 'deliveryFailure' }],
    properties: { body: 'Second question?', timeout: '600' },
  },
  {
    name: 'done',
    type: 'send-message',
    transitions: [{ event: 'sent' }, { event: 'failed' }],
    properties: { body: '{{widgets.first.inbound.Body}} / {{widgets.second.inbound.Body}}' },
  },
);

/**
 * A reply read back from the conversation (its webhook never came) is the execution's, once: when Twilio's
 * delivery of it turns up later, while the next widget waits, it is not taken as the answer to the next question.
 */
describe('a reply read back after its webhook was missed', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack('read-back');
  });
  afterAll(() => stack?.stop());

  /** Twilio's onMessageAdded for `message`, signed, as a late retry would bring it. */
  async function deliverLate(executionSid: string, conversationSid: string, message: MessageRecord) {
    const url = `${stack.config.publicBaseUrl}/webhooks/conversations/${executionSid}`;
    const params = {
      EventType: 'onMessageAdded',
      AccountSid: stack.config.twilio.accountSid,
      ConversationSid: conversationSid,
      MessageSid: message.sid,
      Index: String(message.index),
      Author: message.author,
      Body: message.body ?? '',
      Attributes: message.attributes,
      DateCreated: message.dateCreated.toISOString(),
      RetryCount: '3',
    };
    const signature = twilio.getExpectedTwilioSignature(stack.config.twilio.authToken, url, params);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params),
    });
    expect(response.status).toBe(200);
  }

  test('when its webhook arrives late, while the next question waits, then it is ignored and the next answer is taken', async () => {
    const studio = stack.client.studio.v2;
    const flowSid = await publish(studio, flow, 'Read back once');
    const to = contactNumbers('+1555620')();
    const { sid } = await studio.flows(flowSid).executions.create({ to, from: '+15559990000' });
    const conversation = await eventually(async () => stack.conversationsOf(sid).find((c) => c.messages.length > 0));
    // The contact answers, but no webhook reaches the flow (as when every try fell into a Temporal outage).
    await stack.emulatorClient.conversations.v1.conversations(conversation.sid).messages.create({ author: to, body: 'one' });
    const missed = conversation.messages[1]!;
    await eventually(async () => (conversation.messages.some((m) => m.body === 'Second question?') ? true : undefined));

    await deliverLate(sid, conversation.sid, missed);
    await stack.reply(conversation.sid, to, 'two');
    await waitUntilEnded(studio, flowSid, sid);

    expect(conversation.messages.map((m) => m.body)).toEqual(['First question?', 'one', 'Second question?', 'two', 'one / two']);
    const view = await stack.temporal.workflow.getHandle(sid).query(getExecutionQuery);
    expect(view?.warnings).toEqual([]); // the late delivery was recognised, not even counted as an unexpected reply
  });
});
