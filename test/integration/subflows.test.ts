import type twilio from 'twilio';
import type { ConversationRecord } from '../../emulator/records';
import type { FlowDefinition } from '../../src/flow/definition';
import { exampleFlow, publish, restFlow, waitUntilEnded } from '../helpers/flows';
import { contactNumbers } from '../helpers/contacts';
import { checkResponsesAndStop, startStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/wait';

const sms = { type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: '{{flow.channel.address}}' };

/** run-subflow as child executions: parameters in, variables and the conversation out, replies routed, endings. */
describe('run-subflow', () => {
  let stack: TestStack;
  let client: twilio.Twilio;
  let childSid: string;
  const nextContact = contactNumbers('+1555500');

  beforeAll(async () => {
    stack = await startStack('subflows');
    client = stack.client;
    childSid = await publish(client.studio.v2, exampleFlow('subflow-child.json'), 'Child');
  });

  afterAll(() => checkResponsesAndStop(stack));

  /** The example parent, pointed at this run's child, with a last question before it ends. */
  function parentFlow(): FlowDefinition {
    const parent = exampleFlow('subflow-parent.json');
    const states = parent.states.map((s) => {
      if (s.name === 'greet_contact') return { ...s, properties: { ...s.properties, flow_sid: childSid } };
      if (s.name === 'confirm') return { ...s, transitions: [{ event: 'sent', next: 'anything_else' }, { event: 'failed' }] };
      return s;
    });
    const last = { name: 'anything_else', type: 'send-and-wait-for-reply', transitions: [{ event: 'incomingMessage' }, { event: 'timeout' }], properties: { body: 'Anything else?', timeout: '60' } };
    return { ...parent, states: [...states, last] };
  }

  const lastBody = (c: ConversationRecord) => c.messages.at(-1)?.body;

  test('when the child starts the conversation and gets the reply, then the parent gets its variable and the same conversation', async () => {
    const parentSid = await publish(client.studio.v2, parentFlow(), 'Parent');
    const to = nextContact();
    const { sid } = await client.studio.v2.flows(parentSid).executions.create({ to, from: '+15559990000', parameters: { topic: 'Billing', order_id: '77' } });

    const conversation = await stack.conversationOf(sid);
    await eventually(async () => (lastBody(conversation)?.startsWith('Welcome to Billing!') ? true : undefined));
    expect([...conversation.webhooks.values()].map((w) => w.url)).toEqual([`${stack.api.url}/webhooks/conversations/${sid}/${conversation.sid}`]);
    await stack.reply(conversation.sid, to, 'Ada');

    await eventually(async () => (lastBody(conversation) === 'Anything else?' ? true : undefined));
    expect(conversation.messages.map((m) => m.body).slice(-2)).toEqual(['Thanks Ada, an agent will follow up on order 77 here.', 'Anything else?']);
    expect(conversation.webhooks.size).toBe(1); // still the root's: the child returning did not remove it
    await stack.reply(conversation.sid, to, 'No thanks');

    const ended = await waitUntilEnded(client.studio.v2, parentSid, sid);
    expect(conversation.webhooks.size).toBe(0);
    const context = ended.context as { flow: { channel: { sid: string; status: string } }; widgets: Record<string, unknown> };
    expect(context.flow.channel).toMatchObject({ sid: conversation.sid, status: 'ended' });
    expect(context.widgets.greet_contact).toEqual({ name: 'Ada' });
    const steps = await client.studio.v2.flows(parentSid).executions(sid).steps.list();
    const runStep = steps.find((s) => s.transitionedFrom === 'greet_contact')!;
    const childSteps = steps.filter((s) => s.parentStepSid === runStep.sid);
    expect(childSteps.map((s) => [s.name, s.transitionedFrom, s.transitionedTo])).toEqual([
      ['incomingParent', 'Trigger', 'start_conversation'],
      ['created', 'start_conversation', 'ask_name'],
      ['incomingMessage', 'ask_name', 'save_name'],
      ['next', 'save_name', 'Ended'],
    ]);
    expect(steps.indexOf(childSteps[0]!)).toBeLessThan(steps.indexOf(runStep));
    const childContext = await client.studio.v2.flows(parentSid).executions(sid).steps(childSteps[0]!.sid).stepContext().fetch();
    expect(childContext.context).toMatchObject({ trigger: { parent: { parameters: { topic: 'Billing', order: { id: '77' } }, execution_sid: sid } } });
  });

  test('when the parent already has a conversation, then the child’s start-conversation fails and none is added', async () => {
    const parent = restFlow(
      { name: 'start', type: 'start-conversation', transitions: [{ event: 'created', next: 'sub' }, { event: 'failed' }], properties: { participants: [sms] } },
      { name: 'sub', type: 'run-subflow', transitions: [{ event: 'completed' }, { event: 'failed' }], properties: { flow_sid: childSid, flow_revision: 'LatestPublished' } },
    );
    const parentSid = await publish(client.studio.v2, parent);
    const to = nextContact();
    const { sid } = await client.studio.v2.flows(parentSid).executions.create({ to, from: '+15559990000' });
    const conversation = await stack.conversationOf(sid);
    await eventually(async () => (lastBody(conversation)?.startsWith('Welcome') ? true : undefined)); // the child asks on the parent's channel
    await stack.reply(conversation.sid, to, 'Grace');

    const ended = await waitUntilEnded(client.studio.v2, parentSid, sid);
    const steps = await client.studio.v2.flows(parentSid).executions(sid).steps.list();
    expect(steps.filter((s) => s.parentStepSid).map((s) => s.name)).toEqual(['incomingParent', 'failed', 'incomingMessage', 'next']);
    expect(stack.conversationsOf(sid)).toHaveLength(1);
    expect((ended.context as { widgets: Record<string, unknown> }).widgets.sub).toEqual({ name: 'Grace' });
  });

  test('when the root is ended while the child waits, then the child is cancelled and the cleanup runs once, in the root', async () => {
    const parentSid = await publish(client.studio.v2, parentFlow(), 'Parent');
    const to = nextContact();
    const { sid } = await client.studio.v2.flows(parentSid).executions.create({ to, from: '+15559990000' });
    const conversation = await stack.conversationOf(sid);
    await eventually(async () => (lastBody(conversation)?.startsWith('Welcome') ? true : undefined));

    const ended = await client.studio.v2.flows(parentSid).executions(sid).update({ status: 'ended' });

    expect(conversation.webhooks.size).toBe(0);
    expect((ended.context as { flow: { channel: object } }).flow.channel).toMatchObject({ sid: conversation.sid, status: 'ended' });
    const rootHistory = await stack.temporal.workflow.getHandle(sid).fetchHistory();
    const childId = rootHistory.events?.find((e) => e.childWorkflowExecutionStartedEventAttributes)?.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId;
    expect(childId).toMatch(new RegExp(`^${sid}/FT[0-9a-f]{32}$`));
    const child = stack.temporal.workflow.getHandle(childId!);
    await eventually(async () => ((await child.describe()).status.name === 'CANCELLED' ? true : undefined));
    const removals = async (workflowId: string) =>
      ((await stack.temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'removeConversationWebhook').length;
    expect([await removals(sid), await removals(childId!)]).toEqual([1, 0]);
  });

  test('when the subflow does not exist, then run-subflow fails with 81024', async () => {
    const missing = restFlow({ name: 'sub', type: 'run-subflow', transitions: [{ event: 'completed' }, { event: 'failed' }], properties: { flow_sid: `FW${'0'.repeat(32)}` } });
    const flowSid = await publish(client.studio.v2, missing);
    const { sid } = await client.studio.v2.flows(flowSid).executions.create({ to: nextContact(), from: '+1' });
    const ended = await waitUntilEnded(client.studio.v2, flowSid, sid);
    expect((ended.context as { widgets: Record<string, unknown> }).widgets.sub).toEqual({ error: { code: 81024, message: expect.stringContaining('was not found') } });
  });

  test('when a subflow runs a subflow, then its run-subflow fails with 81024', async () => {
    const inner = await publish(client.studio.v2, restFlow());
    const middle: FlowDefinition = {
      initial_state: 'Trigger',
      states: [
        { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingParent', next: 'deeper' }], properties: {} },
        { name: 'deeper', type: 'run-subflow', transitions: [{ event: 'completed' }, { event: 'failed' }], properties: { flow_sid: inner } },
      ],
    };
    const middleSid = await publish(client.studio.v2, middle);
    const outer = await publish(client.studio.v2, restFlow({ name: 'sub', type: 'run-subflow', transitions: [{ event: 'completed' }, { event: 'failed' }], properties: { flow_sid: middleSid } }));

    const { sid } = await client.studio.v2.flows(outer).executions.create({ to: nextContact(), from: '+1' });
    await waitUntilEnded(client.studio.v2, outer, sid);

    const steps = await client.studio.v2.flows(outer).executions(sid).steps.list();
    const refused = steps.find((s) => s.transitionedFrom === 'deeper')!;
    expect(refused.name).toBe('failed');
    const context = await client.studio.v2.flows(outer).executions(sid).steps(refused.sid).stepContext().fetch();
    expect((context.context as { widgets: Record<string, unknown> }).widgets.deeper).toEqual({ error: { code: 81024, message: 'a subflow cannot run another subflow' } });
  });
});
