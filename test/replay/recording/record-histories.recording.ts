import { join } from 'node:path';
import type twilio from 'twilio';
import type { ConversationRecord } from '../../../emulator/records';
import { writeHistoryFile } from '../../../scripts/lib/history-files';
import type { FlowDefinition } from '../../../src/flow/definition';
import { contactNumbers } from '../../helpers/contacts';
import { startHttpService } from '../../helpers/http-service';
import { exampleFlow, missingWidgetFlow, publish, restFlow, startUnvalidated, waitForReplyFlow, waitUntilEnded } from '../../helpers/flows';
import { conversationWiredToFlow, executionsOf, smsBodiesTo, smsSurveyFlow, text, webChatFlow } from '../../helpers/inbound';
import { startStack, type TestStack } from '../../helpers/stack';
import { eventually } from '../../helpers/wait';

/**
 * `npm run history:rerecord`: plays each representative execution against today's code and saves its history under
 * test/fixtures/histories as `<scenario>-<UTC date and time>.json`, beside the older recordings (which stay: running
 * executions started by older code must still replay). Every scenario checks it went the way its name says, so a
 * fixture never records something else.
 */
const HISTORIES = join(__dirname, '..', '..', 'fixtures', 'histories');
const STAMP = new Date().toISOString().replace(/[-:]/g, '').slice(0, 13); // 20261125T1845

describe('recording replay fixtures', () => {
  let stack: TestStack;
  let studio: twilio.Twilio['studio']['v2'];
  const nextContact = contactNumbers('+1555700');

  beforeAll(async () => {
    stack = await startStack('recording');
    studio = stack.client.studio.v2;
  });

  afterAll(() => stack?.stop());

  async function save(scenario: string, workflowId: string): Promise<void> {
    const history = await stack.temporal.workflow.getHandle(workflowId).fetchHistory();
    const file = join(HISTORIES, `${scenario}-${STAMP}.json`);
    writeHistoryFile(file, { workflowId, history });
    process.stdout.write(`${file}: ${history.events?.length ?? 0} events of ${workflowId}\n`);
  }

  const lastBody = (c: ConversationRecord) => c.messages.at(-1)?.body;
  /** Waits until the conversation holds `count` messages, the last one starting with `start`. */
  const waitForPrompt = (c: ConversationRecord, start: string, count = 1) =>
    eventually(async () => (c.messages.length >= count && lastBody(c)?.startsWith(start) ? true : undefined));

  test('flows: created, updated, published; deleted; one revision', async () => {
    const definition = exampleFlow('conversation-survey.json');
    const flow = await studio.flows.create({ friendlyName: 'Recorded flow', status: 'draft', definition });
    await studio.flows(flow.sid).update({ status: 'draft', definition, commitMessage: 'second draft' });
    await studio.flows(flow.sid).update({ status: 'published', friendlyName: 'Recorded flow (published)' });
    expect((await studio.flows(flow.sid).fetch()).revision).toBe(3);
    await save('flow-workflow-updates', flow.sid);
    await save('flow-revision-workflow', `${flow.sid}/revisions/2`);

    const doomed = await studio.flows.create({ friendlyName: 'Deleted flow', status: 'published', definition });
    await studio.flows(doomed.sid).remove();
    await save('flow-workflow-deleted', doomed.sid);
  });

  test('conversation survey played to the end', async () => {
    const flowSid = await publish(studio, exampleFlow('conversation-survey.json'), 'Survey');
    const to = nextContact();
    const { sid } = await studio.flows(flowSid).executions.create({ to, from: '+15559990000', parameters: { name: 'Ada' } });
    const conversation = await stack.conversationOf(sid);
    await waitForPrompt(conversation, 'Hi Ada!');
    await stack.reply(conversation.sid, to, 'seven');
    await waitForPrompt(conversation, 'Hi Ada!', 4); // "Sorry, please answer…", then the question again
    await stack.reply(conversation.sid, to, '2');
    await waitForPrompt(conversation, 'Sorry to hear that', 6);
    await stack.reply(conversation.sid, to, 'Shorter queues');
    const ended = await waitUntilEnded(studio, flowSid, sid);
    expect((ended.context as { flow: { variables: object } }).flow.variables).toMatchObject({ rating: '2' });
    await save('execution-workflow-conversation-survey', sid);
  });

  test('subflow that opens the conversation, propagated to its parent', async () => {
    const childSid = await publish(studio, exampleFlow('subflow-child.json'), 'Child');
    const parent = exampleFlow('subflow-parent.json');
    const states = parent.states.map((s) => (s.name === 'greet_contact' ? { ...s, properties: { ...s.properties, flow_sid: childSid } } : s));
    const parentSid = await publish(studio, { ...parent, states }, 'Parent');
    const to = nextContact();
    const { sid } = await studio.flows(parentSid).executions.create({ to, from: '+15559990000', parameters: { topic: 'Billing', order_id: '77' } });
    const conversation = await stack.conversationOf(sid);
    await waitForPrompt(conversation, 'Welcome to Billing!');
    await stack.reply(conversation.sid, to, 'Ada');
    const ended = await waitUntilEnded(studio, parentSid, sid);
    expect((ended.context as { flow: { channel: { sid: string } } }).flow.channel.sid).toBe(conversation.sid);
    const steps = await studio.flows(parentSid).executions(sid).steps.list();
    const child = steps.find((s) => s.transitionedFrom === 'greet_contact');
    expect(child?.name).toBe('completed');
    await save('execution-workflow-subflow-parent', sid);
    await save('execution-workflow-subflow-child', `${sid}/${(steps.find((s) => s.parentStepSid) as { parentStepSid: string }).parentStepSid}`);
  });

  test('hand-off to Flex', async () => {
    const flow: FlowDefinition = restFlow(
      {
        name: 'open',
        type: 'start-conversation',
        transitions: [{ event: 'created', next: 'to_agent' }, { event: 'failed' }],
        properties: { participants: [{ type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: '+15559990000' }] },
      },
      {
        name: 'to_agent',
        type: 'send-to-flex',
        transitions: [{ event: 'callComplete' }, { event: 'failedToEnqueue' }, { event: 'callFailure' }],
        properties: { workflow: `WW${'1'.repeat(32)}`, channel: 'sms', attributes: '{"topic": "{{flow.data.topic}}"}' },
      },
    );
    const flowSid = await publish(studio, flow, 'Hand-off');
    const { sid } = await studio.flows(flowSid).executions.create({ to: nextContact(), from: '+15559990000', parameters: { topic: 'billing' } });
    const ended = await waitUntilEnded(studio, flowSid, sid);
    expect((ended.context as { flow: { channel: { status: string } } }).flow.channel.status).toBe('handed_off');
    await save('execution-workflow-hand-off', sid);
  });

  test('hand-off to Flex inside a subflow, on the parent’s conversation, then a parent message', async () => {
    const child = restFlow({ name: 'to_agent', type: 'send-to-flex', transitions: [{ event: 'callComplete' }, { event: 'failedToEnqueue' }, { event: 'callFailure' }], properties: { workflow: `WW${'1'.repeat(32)}`, channel: 'sms' } });
    const [trigger, ...widgets] = child.states;
    const childSid = await publish(studio, { ...child, states: [{ ...trigger!, transitions: [{ event: 'incomingParent', next: 'to_agent' }] }, ...widgets] }, 'Hand-off child');
    const parent: FlowDefinition = restFlow(
      {
        name: 'open',
        type: 'start-conversation',
        transitions: [{ event: 'created', next: 'agent_flow' }, { event: 'failed' }],
        properties: { participants: [{ type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: '+15559990000' }] },
      },
      { name: 'agent_flow', type: 'run-subflow', transitions: [{ event: 'completed', next: 'tell' }, { event: 'failed' }], properties: { flow_sid: childSid, flow_revision: 'LatestPublished' } },
      { name: 'tell', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'still here?' } },
    );
    const flowSid = await publish(studio, parent, 'Hand-off parent');
    const { sid } = await studio.flows(flowSid).executions.create({ to: nextContact(), from: '+15559990000' });
    await waitUntilEnded(studio, flowSid, sid);
    const steps = await studio.flows(flowSid).executions(sid).steps.list();
    expect(steps.map((s) => s.name).slice(0, 5)).toEqual(['incomingRequest', 'created', 'incomingParent', 'callComplete', 'completed']);
    await save('execution-workflow-subflow-hand-off', sid);
  });

  test('parent ended while its subflow, having handed the conversation to Flex, waits on HTTP', async () => {
    const slow = await startHttpService({ '/fast': { status: 200, type: 'application/json', body: '{}' }, '/slow': { status: 200, type: 'application/json', body: '{}', delayMs: 8_000 } });
    try {
      // A call before the hand-off: the child reports the lent conversation (active) first, then its hand-off.
      const child = restFlow(
        { name: 'check', type: 'make-http-request', transitions: [{ event: 'success', next: 'to_agent' }, { event: 'failed' }], properties: { method: 'GET', url: `${slow.url}/fast` } },
        { name: 'to_agent', type: 'send-to-flex', transitions: [{ event: 'callComplete', next: 'look_up' }, { event: 'failedToEnqueue' }, { event: 'callFailure' }], properties: { workflow: `WW${'1'.repeat(32)}`, channel: 'sms' } },
        { name: 'look_up', type: 'make-http-request', transitions: [{ event: 'success' }, { event: 'failed' }], properties: { method: 'GET', url: `${slow.url}/slow` } },
      );
      const [trigger, ...widgets] = child.states;
      const childSid = await publish(studio, { ...child, states: [{ ...trigger!, transitions: [{ event: 'incomingParent', next: 'check' }] }, ...widgets] }, 'Hand-off child that waits');
      const parent: FlowDefinition = restFlow(
        {
          name: 'open',
          type: 'start-conversation',
          transitions: [{ event: 'created', next: 'agent_flow' }, { event: 'failed' }],
          properties: { participants: [{ type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: '+15559990000' }] },
        },
        { name: 'agent_flow', type: 'run-subflow', transitions: [{ event: 'completed' }, { event: 'failed' }], properties: { flow_sid: childSid, flow_revision: 'LatestPublished' } },
      );
      const flowSid = await publish(studio, parent, 'Parent ended around a hand-off');
      const { sid } = await studio.flows(flowSid).executions.create({ to: nextContact(), from: '+15559990000' });
      await eventually(async () => (slow.requests.some((r) => r.url === '/slow') ? true : undefined));
      await studio.flows(flowSid).executions(sid).update({ status: 'ended' });
      await eventually(async () => ((await stack.temporal.workflow.getHandle(sid).describe()).status.name === 'COMPLETED' ? true : undefined));
      const history = await stack.temporal.workflow.getHandle(sid).fetchHistory();
      const childId = history.events?.find((e) => e.childWorkflowExecutionStartedEventAttributes)?.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId;
      await eventually(async () => ((await stack.temporal.workflow.getHandle(childId!).describe()).status.name === 'CANCELLED' ? true : undefined));
      await save('execution-workflow-ended-around-hand-off-parent', sid);
      await save('execution-workflow-ended-around-hand-off-child', childId!);
    } finally {
      await slow.close();
    }
  });

  test('a conversation message with a media_url', async () => {
    const flow: FlowDefinition = restFlow(
      {
        name: 'open',
        type: 'start-conversation',
        transitions: [{ event: 'created', next: 'picture' }, { event: 'failed' }],
        properties: { participants: [{ type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: '+15559990000' }] },
      },
      { name: 'picture', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'see the offer', media_url: 'https://example.com/offer.png' } },
    );
    const flowSid = await publish(studio, flow, 'Media in a conversation');
    const { sid } = await studio.flows(flowSid).executions.create({ to: nextContact(), from: '+15559990000' });
    await waitUntilEnded(studio, flowSid, sid);
    const steps = await studio.flows(flowSid).executions(sid).steps.list();
    expect(steps.map((s) => s.transitionedFrom)).toEqual(['Trigger', 'open', 'picture']);
    await save('execution-workflow-conversation-media', sid);
  });

  test('HTTP request that fails, taking its failed branch', async () => {
    const flow = restFlow(
      {
        name: 'lookup',
        type: 'make-http-request',
        transitions: [{ event: 'success' }, { event: 'failed', next: 'note_failure' }],
        properties: { method: 'GET', url: 'http://127.0.0.1:1/orders', content_type: 'application/x-www-form-urlencoded;charset=utf-8' },
      },
      { name: 'note_failure', type: 'set-variables', transitions: [{ event: 'next' }], properties: { variables: [{ key: 'lookup', value: 'failed' }] } },
    );
    const flowSid = await publish(studio, flow, 'HTTP failure');
    const { sid } = await studio.flows(flowSid).executions.create({ to: nextContact(), from: '+15559990000' });
    const ended = await waitUntilEnded(studio, flowSid, sid);
    expect((ended.context as { flow: { variables: object } }).flow.variables).toEqual({ lookup: 'failed' });
    await save('execution-workflow-http-failure', sid);
  });

  test('order status over HTTP (the success path)', async () => {
    const flowSid = await publish(studio, exampleFlow('http-branching.json'), 'Orders');
    const statusUrl = `${stack.twilioServer.url}/_emulator/examples/orders`;
    const { sid } = await studio.flows(flowSid).executions.create({ to: nextContact(), from: '+15559990000', parameters: { order_id: '1001', status_url: statusUrl } });
    await waitUntilEnded(studio, flowSid, sid);
    const steps = await studio.flows(flowSid).executions(sid).steps.list();
    expect(steps.map((s) => s.name)).toContain('success');
    await save('execution-workflow-http-flow', sid);
  });

  test('HTTP answer that is a JSON array, read by a later widget (sends only when the array was parsed)', async () => {
    const far = await startHttpService({ '/orders': { status: 200, type: 'application/json', body: '[{"id": 7}]' } });
    const flow = restFlow(
      { name: 'lookup', type: 'make-http-request', transitions: [{ event: 'success', next: 'check' }, { event: 'failed' }], properties: { method: 'GET', url: `${far.url}/orders` } },
      {
        name: 'check',
        type: 'split-based-on',
        transitions: [{ event: 'noMatch' }, { event: 'match', next: 'found', conditions: [{ friendly_name: '7', arguments: ['{{widgets.lookup.parsed.first.id}}'], type: 'equal_to', value: '7' }] }],
        properties: { input: '{{widgets.lookup.parsed.first.id}}' },
      },
      { name: 'found', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'Order 7 found', from: '+15559990000', to: '{{contact.channel.address}}' } },
    );
    const flowSid = await publish(studio, flow, 'HTTP array');
    const { sid } = await studio.flows(flowSid).executions.create({ to: nextContact(), from: '+15559990000' });
    await waitUntilEnded(studio, flowSid, sid);
    await far.close();
    const steps = await studio.flows(flowSid).executions(sid).steps.list();
    expect(steps.map((s) => s.name)).toContain('success');
    await save('execution-workflow-http-array', sid);
  });

  /** A contact's message whose webhook never reached the flow (as when Temporal was down for every delivery try). */
  const missedReply = (conversationSid: string, author: string, body: string) =>
    stack.emulatorClient.conversations.v1.conversations(conversationSid).messages.create({ author, body });

  test('a reply the webhook missed, read back when the wait times out', async () => {
    const flowSid = await publish(studio, waitForReplyFlow('Your answer?', '2'), 'Read back at timeout');
    const to = nextContact();
    const { sid } = await studio.flows(flowSid).executions.create({ to, from: '+15559990000' });
    const conversation = await stack.conversationOf(sid);
    await waitForPrompt(conversation, 'Your answer?');
    await missedReply(conversation.sid, to, 'missed');
    await waitUntilEnded(studio, flowSid, sid);
    expect(conversation.messages.map((m) => m.body)).toEqual(['Your answer?', 'missed', 'Thanks for: missed']);
    await save('execution-workflow-reply-read-back-at-timeout', sid);
  });

  test('a reply the webhook missed, read back when a later reply shows the gap', async () => {
    const flowSid = await publish(studio, waitForReplyFlow('Your answer?', '600'), 'Read back after a gap');
    const to = nextContact();
    const { sid } = await studio.flows(flowSid).executions.create({ to, from: '+15559990000' });
    const conversation = await stack.conversationOf(sid);
    await waitForPrompt(conversation, 'Your answer?');
    await missedReply(conversation.sid, to, 'first');
    await stack.reply(conversation.sid, to, 'second');
    await waitUntilEnded(studio, flowSid, sid);
    expect(conversation.messages.map((m) => m.body)).toEqual(['Your answer?', 'first', 'second', 'Thanks for: first']);
    await save('execution-workflow-reply-read-back-after-gap', sid);
  });

  test('ended through the API (Status=ended) while waiting for a reply', async () => {
    const flowSid = await publish(studio, exampleFlow('conversation-survey.json'), 'Survey');
    const { sid } = await studio.flows(flowSid).executions.create({ to: nextContact(), from: '+15559990000', parameters: { name: 'Grace' } });
    await waitForPrompt(await stack.conversationOf(sid), 'Hi Grace!');
    const ended = await studio.flows(flowSid).executions(sid).update({ status: 'ended' });
    expect(ended.status).toBe('ended');
    await eventually(async () => ((await stack.temporal.workflow.getHandle(sid).describe()).status.name === 'COMPLETED' ? true : undefined));
    await save('execution-workflow-ended-while-waiting', sid);
  });

  test('bounded flow code: heavy widgets spread over workflow tasks, then one past its share of work ends the execution', async () => {
    const heavy = `{% for i in (1..15) %}${'{% if false %}x{% endif %}'.repeat(1_500)}{% endfor %}`;
    const flow = restFlow(
      { name: 'count', type: 'set-variables', transitions: [{ event: 'next', next: 'check' }], properties: { variables: [{ key: 'n', value: `{{flow.variables.n | default: 0 | plus: 1}}${heavy}` }] } },
      {
        name: 'check',
        type: 'split-based-on',
        properties: { input: '{{flow.variables.n}}' },
        transitions: [{ event: 'noMatch', next: 'explode' }, { event: 'match', next: 'count', conditions: [{ friendly_name: 'more', arguments: ['{{flow.variables.n}}'], type: 'less_than', value: '4' }] }],
      },
      { name: 'explode', type: 'set-variables', transitions: [{ event: 'next' }], properties: { variables: [{ key: 'v', value: `${'{% for i in (1..250) %}'.repeat(6)}{% if false %}x{% endif %}${'{% endfor %}'.repeat(6)}` }] } },
    );
    const flowSid = await publish(studio, flow);
    const { sid } = await studio.flows(flowSid).executions.create({ to: nextContact(), from: '+15559990000' });
    const ended = await waitUntilEnded(studio, flowSid, sid);
    expect((ended.context as { flow: { error?: { message: string } } }).flow.error?.message).toMatch(/^widget 'explode': .*too much work/);
    await save('execution-workflow-bounded-work', sid);
  });

  test('a core error ends the execution (a definition started without validation names a missing widget)', async () => {
    const handle = await startUnvalidated(stack.temporal, stack.config.temporal.taskQueue, missingWidgetFlow(), nextContact());
    const sid = handle.workflowId;
    expect(await handle.result()).toMatchObject({ status: 'ended', context: { flow: { error: { code: 84002 } } } });
    await save('execution-workflow-core-error', sid);
  });

  test('an SMS survey started by the contact’s text (incomingMessage), answered over SMS', async () => {
    const flowSid = await publish(studio, smsSurveyFlow(), 'SMS survey');
    const [contact, number] = [nextContact(), '+15557009999'];
    await text(stack, flowSid, { from: contact, to: number, body: 'hello' });
    const [execution] = await executionsOf(stack, flowSid, 1);
    await smsBodiesTo(stack, contact, 1);
    await text(stack, flowSid, { from: contact, to: number, body: '5' });
    const ended = await waitUntilEnded(studio, flowSid, execution!.sid);
    expect((await studio.flows(flowSid).executions(execution!.sid).steps.list()).map((s) => s.name)).toEqual(['incomingMessage', 'incomingMessage', 'match', 'sent']);
    expect((ended.context as { trigger: { message?: { Body: string } } }).trigger.message?.Body).toBe('hello');
    await save('execution-workflow-incoming-message', execution!.sid);
  });

  test('a web chat started by a message in a wired conversation (incomingConversationMessage), handed to Flex', async () => {
    const flowSid = await publish(studio, webChatFlow(`WW${'3'.repeat(32)}`), 'Web chat bot');
    const contact = nextContact();
    const { conversationSid } = await conversationWiredToFlow(stack, flowSid, contact, '+15557009998');
    await stack.reply(conversationSid, contact, 'hello');
    const [execution] = await executionsOf(stack, flowSid, 1);
    const conversation = stack.twilio.store.conversations.get(conversationSid)!;
    await waitForPrompt(conversation, 'Hi ', 2);
    await stack.reply(conversationSid, contact, 'billing');
    const ended = await waitUntilEnded(studio, flowSid, execution!.sid);
    expect((await studio.flows(flowSid).executions(execution!.sid).steps.list()).map((s) => s.name)).toEqual(['incomingConversationMessage', 'failed', 'incomingMessage', 'callComplete']);
    expect((ended.context as { flow: { channel: { status?: string } } }).flow.channel.status).toBe('handed_off');
    expect(conversation.webhooks.size).toBe(0);
    await save('execution-workflow-incoming-conversation-message', execution!.sid);
  });
});
