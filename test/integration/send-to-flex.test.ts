import type twilio from 'twilio';
import { publish, restFlow, runToEnd } from '../helpers/flows';
import { contactNumbers } from '../helpers/contacts';
import { startHttpService } from '../helpers/http-service';
import { eventually } from '../helpers/wait';
import { checkResponsesAndStop, startStack, type TestStack } from '../helpers/stack';

const WORKFLOW = `WW${'1'.repeat(32)}`;

/** start → send-to-flex → (callComplete) tell, with the given send-to-flex properties. */
function handOffFlow(flexProperties: Record<string, unknown>) {
  return restFlow(
    {
      name: 'start',
      type: 'start-conversation',
      transitions: [{ event: 'created', next: 'to_agent' }, { event: 'failed' }],
      properties: { participants: [{ type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: '+15559990000' }] },
    },
    { name: 'to_agent', type: 'send-to-flex', transitions: [{ event: 'callComplete', next: 'tell' }, { event: 'failedToEnqueue' }, { event: 'callFailure' }], properties: flexProperties },
    { name: 'tell', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'still here?' } },
  );
}

describe('send-to-flex for a conversation', () => {
  let stack: TestStack;
  let studio: twilio.Twilio['studio']['v2'];
  let emulatorClient: twilio.Twilio;
  const nextContact = contactNumbers('+1555600');

  beforeAll(async () => {
    stack = await startStack('send-to-flex');
    studio = stack.client.studio.v2;
    emulatorClient = stack.emulatorClient;
  });

  afterAll(() => checkResponsesAndStop(stack));

  test('when the interaction is created, then callComplete, the webhook is gone, and later messaging widgets fail without sending', async () => {
    const to = nextContact();
    const flow = handOffFlow({ workflow: WORKFLOW, channel: 'sms', attributes: '{"name": "{{contact.channel.address}}", "topic": "{{flow.data.topic}}"}', priority: '5', timeout: '600' });

    const run = await runToEnd(studio, await publish(studio, flow), to, { topic: 'billing' });

    expect(run.events).toEqual(['incomingRequest', 'created', 'callComplete', 'failed']);
    const conversationSid = String(run.context.flow.channel.sid);
    const [interaction] = [...stack.twilio.store.interactions.values()];
    expect(interaction?.channel).toMatchObject({ type: 'sms', initiated_by: 'customer', properties: { media_channel_sid: conversationSid } });
    expect(interaction?.routing).toMatchObject({ properties: { workflow_sid: WORKFLOW, task_channel_unique_name: 'sms', attributes: { name: to, topic: 'billing' }, priority: 5, timeout: 600 } });
    expect(run.context.widgets.to_agent).toMatchObject({ sid: interaction!.sid });
    expect(run.context.flow.channel.status).toBe('handed_off');
    const conversation = stack.twilio.store.conversations.get(conversationSid)!;
    expect(conversation.webhooks.size).toBe(0);
    expect(conversation.messages).toHaveLength(0); // the send-message after the hand-off reached nothing
    expect(run.context.widgets.tell?.outbound).toEqual({ ErrorCode: null, ErrorMessage: `the conversation ${conversationSid} is handed off; the flow no longer sends to it` });

    await emulatorClient.conversations.v1.conversations(conversationSid).messages.create({ author: to, body: 'hello?', xTwilioWebhookEnabled: 'true' });
    expect(stack.twilio.deliveries().filter((d) => d.conversationSid === conversationSid)).toHaveLength(0); // nothing reaches the flow
  });

  test('when a subflow hands the parent’s conversation off, then the parent sees it handed off and sends nothing more', async () => {
    const child = restFlow({ name: 'to_agent', type: 'send-to-flex', transitions: [{ event: 'callComplete' }, { event: 'failedToEnqueue' }, { event: 'callFailure' }], properties: { workflow: WORKFLOW, channel: 'sms' } });
    const [trigger, ...widgets] = child.states;
    const childSid = await publish(studio, { ...child, states: [{ ...trigger!, transitions: [{ event: 'incomingParent', next: 'to_agent' }] }, ...widgets] });
    const parent = restFlow(
      {
        name: 'start',
        type: 'start-conversation',
        transitions: [{ event: 'created', next: 'agent_flow' }, { event: 'failed' }],
        properties: { participants: [{ type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: '+15559990000' }] },
      },
      { name: 'agent_flow', type: 'run-subflow', transitions: [{ event: 'completed', next: 'tell' }, { event: 'failed' }], properties: { flow_sid: childSid, flow_revision: 'LatestPublished' } },
      { name: 'tell', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'still here?' } },
    );

    const run = await runToEnd(studio, await publish(studio, parent), nextContact());

    expect(run.events).toEqual(['incomingRequest', 'created', 'incomingParent', 'callComplete', 'completed', 'failed']);
    const conversationSid = String(run.context.flow.channel.sid);
    expect(run.context.flow.channel.status).toBe('handed_off'); // not `ended`: the cleanup leaves Flex's conversation alone
    const conversation = stack.twilio.store.conversations.get(conversationSid)!;
    expect(conversation.webhooks.size).toBe(0);
    expect(conversation.messages).toHaveLength(0);
    expect(run.context.widgets.tell?.outbound).toEqual({ ErrorCode: null, ErrorMessage: `the conversation ${conversationSid} is handed off; the flow no longer sends to it` });
  });

  test('when the parent is ended while its subflow runs after handing the conversation off, then the parent leaves it handed off', async () => {
    const slow = await startHttpService({ '/fast': { status: 200, type: 'application/json', body: '{}' }, '/slow': { status: 200, type: 'application/json', body: '{}', delayMs: 8_000 } });
    try {
      // A call before the hand-off: the child reports the lent conversation (active) first, then its hand-off.
      const child = restFlow(
        { name: 'check', type: 'make-http-request', transitions: [{ event: 'success', next: 'to_agent' }, { event: 'failed' }], properties: { method: 'GET', url: `${slow.url}/fast` } },
        { name: 'to_agent', type: 'send-to-flex', transitions: [{ event: 'callComplete', next: 'look_up' }, { event: 'failedToEnqueue' }, { event: 'callFailure' }], properties: { workflow: WORKFLOW, channel: 'sms' } },
        { name: 'look_up', type: 'make-http-request', transitions: [{ event: 'success' }, { event: 'failed' }], properties: { method: 'GET', url: `${slow.url}/slow` } },
      );
      const [trigger, ...widgets] = child.states;
      const childSid = await publish(studio, { ...child, states: [{ ...trigger!, transitions: [{ event: 'incomingParent', next: 'check' }] }, ...widgets] });
      const parent = restFlow(
        {
          name: 'start',
          type: 'start-conversation',
          transitions: [{ event: 'created', next: 'agent_flow' }, { event: 'failed' }],
          properties: { participants: [{ type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: '+15559990000' }] },
        },
        { name: 'agent_flow', type: 'run-subflow', transitions: [{ event: 'completed' }, { event: 'failed' }], properties: { flow_sid: childSid, flow_revision: 'LatestPublished' } },
      );
      const flowSid = await publish(studio, parent);
      const { sid } = await studio.flows(flowSid).executions.create({ to: nextContact(), from: '+15559990000' });
      await eventually(async () => (slow.requests.some((r) => r.url === '/slow') ? true : undefined)); // handed off, the child now waits on HTTP

      const ended = await studio.flows(flowSid).executions(sid).update({ status: 'ended' });

      expect((ended.context as { flow: { channel: { status: string } } }).flow.channel.status).toBe('handed_off');
      const history = await stack.temporal.workflow.getHandle(sid).fetchHistory();
      const removals = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'removeConversationWebhook');
      expect(removals).toHaveLength(0); // the child's hand-off removed the webhook; the parent's cleanup has nothing to do
    } finally {
      await slow.close();
    }
  });

  test('when Flex refuses the interaction, then failedToEnqueue, and the conversation stays the flow’s', async () => {
    const run = await runToEnd(studio, await publish(studio, handOffFlow({ workflow: 'WW-not-a-sid', channel: 'sms' })), nextContact());
    expect(run.events.at(-1)).toBe('failedToEnqueue');
    expect(run.context.widgets.to_agent?.error).toMatchObject({ code: 20001 });
    expect(run.context.flow.channel.status).toBe('ended'); // not handed off: it ended with the execution
  });

  test('when there is no conversation to hand off, then callFailure', async () => {
    const flow = restFlow({ name: 'to_agent', type: 'send-to-flex', transitions: [{ event: 'callComplete' }, { event: 'failedToEnqueue' }, { event: 'callFailure' }], properties: { workflow: WORKFLOW, channel: 'sms' } });
    const run = await runToEnd(studio, await publish(studio, flow), nextContact());
    expect(run.events.at(-1)).toBe('callFailure');
    expect(run.context.widgets.to_agent?.error).toEqual({ code: null, message: 'send-to-flex needs the execution’s active conversation (run start-conversation first)' });
  });
});
