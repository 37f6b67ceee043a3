import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import type twilio from 'twilio';
import type { FlowDefinition, WidgetState } from '../../src/flow/definition';
import type { ExecutionView } from '../../src/workflows/contracts/execution-messages';
import { writeWorkflowBundle } from '../../src/worker/workflow-bundle';
import { contactNumbers } from '../helpers/contacts';
import { type ExecutionContextShape, missingWidgetFlow, publish, restFlow, startUnvalidated, waitUntilEnded } from '../helpers/flows';
import { type NodeProcess, startWorkerProcess } from '../helpers/processes';
import { checkResponsesAndStop, startStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/wait';

type Widget = Partial<WidgetState> & Pick<WidgetState, 'name' | 'type'>;

const sms = { type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: '{{flow.channel.address}}' };
const loops = (depth: number, body: string) => `${'{% for i in (1..250) %}'.repeat(depth)}${body}${'{% endfor %}'.repeat(depth)}`;
const setVariables = (name: string, variables: Array<[string, string]>, next?: string): Widget => ({
  name,
  type: 'set-variables',
  transitions: [{ event: 'next', next }],
  properties: { variables: variables.map(([key, value]) => ({ key, value })) },
});
/** A conversation first, so each hostile execution also has a webhook its end must remove. */
const inConversation = (...widgets: Widget[]) =>
  restFlow({ name: 'start', type: 'start-conversation', transitions: [{ event: 'created', next: widgets[0]!.name }, { event: 'failed' }], properties: { participants: [sms] } }, ...widgets);
/** 60,000 characters, from a 4,000-character parameter written 15 times (Studio's loop cap). */
const SIXTY_KB = '{% for i in (1..15) %}{{flow.data.chunk}}{% endfor %}';

/**
 * Flow code a hostile or careless author (or contact) can write: before, each of these stalled a workflow activation
 * past Temporal's 5 s limit and crashed the worker process, or made a payload Temporal refuses, so that its workflow
 * task failed forever. The worker runs as a process of its own here, as in production, so a crash shows as its exit.
 * Each execution must end as Studio ends one, with its cleanup, and the same worker must go on serving.
 */
describe('hostile flow code', () => {
  const bundlePath = join(mkdtempSync(join(tmpdir(), 'studio-bundle-')), 'workflow-bundle.js');
  let stack: TestStack;
  let studio: twilio.Twilio['studio']['v2'];
  let worker: NodeProcess;
  const nextContact = contactNumbers('+1555300');

  beforeAll(async () => {
    await writeWorkflowBundle(bundlePath);
    stack = await startStack('hostile', { worker: false });
    studio = stack.client.studio.v2;
    worker = startWorkerProcess(stack.config, { WORKFLOW_BUNDLE_PATH: bundlePath });
    await worker.ready;
  }, 120_000);

  afterAll(async () => {
    await worker?.kill();
    await checkResponsesAndStop(stack);
  });

  /** Runs the flow for a new contact until it ends; the conversation it started, if any, comes along. */
  async function run(flow: FlowDefinition, parameters: object = {}, reply?: string) {
    const flowSid = await publish(studio, flow);
    const to = nextContact();
    const { sid } = await studio.flows(flowSid).executions.create({ to, from: '+15559990000', parameters });
    const conversation = flow.states.some((s) => s.type === 'start-conversation') ? await stack.conversationOf(sid) : undefined;
    if (reply !== undefined) {
      await eventually(async () => (conversation!.messages.length > 0 ? true : undefined));
      await stack.reply(conversation!.sid, to, reply);
    }
    const execution = await waitUntilEnded(studio, flowSid, sid, 30_000);
    const steps = await studio.flows(flowSid).executions(sid).steps.list();
    return { sid, conversation, context: execution.context as ExecutionContextShape, steps: steps.map((s) => [s.name, s.transitionedFrom, s.transitionedTo]) };
  }

  /** The execution's history: no failed workflow task (none retried), and small. */
  async function expectCleanHistory(sid: string, maxEvents = 60): Promise<string[]> {
    const history = await stack.temporal.workflow.getHandle(sid).fetchHistory();
    const types = (history.events ?? []).map((event) => String(temporal.api.enums.v1.EventType[event.eventType ?? 0]));
    expect(types).not.toContain('EVENT_TYPE_WORKFLOW_TASK_FAILED');
    expect(types.length).toBeLessThan(maxEvents);
    return types;
  }

  test("when a contact's reply is matched against (a+)+$ (exponential for a backtracking engine), then the split answers at once", async () => {
    const flow = inConversation(
      { name: 'ask', type: 'send-and-wait-for-reply', transitions: [{ event: 'incomingMessage', next: 'check' }, { event: 'timeout' }, { event: 'deliveryFailure' }], properties: { body: 'Say something', timeout: '3600' } },
      {
        name: 'check',
        type: 'split-based-on',
        properties: { input: '{{widgets.ask.inbound.Body}}' },
        transitions: [{ event: 'noMatch' }, { event: 'match', conditions: [{ friendly_name: 'a', arguments: ['{{widgets.ask.inbound.Body}}'], type: 'regex', value: '(a+)+$' }] }],
      },
    );

    const { sid, conversation, context, steps } = await run(flow, {}, `${'a'.repeat(30)}!`);

    expect(steps.at(-1)).toEqual(['noMatch', 'check', 'Ended']);
    expect(context.flow.error).toBeUndefined();
    expect(conversation!.webhooks.size).toBe(0);
    await expectCleanHistory(sid);
  });

  test('when flow data is matched against (a+)+$, then the split answers at once, too', async () => {
    const flow = restFlow({
      name: 'check',
      type: 'split-based-on',
      properties: { input: '{{flow.data.v}}' },
      transitions: [{ event: 'noMatch' }, { event: 'match', conditions: [{ friendly_name: 'a', arguments: ['{{flow.data.v}}'], type: 'regex', value: '(a+)+$' }] }],
    });

    const { steps } = await run(flow, { v: `${'a'.repeat(30)}!` });

    expect(steps.at(-1)).toEqual(['noMatch', 'check', 'Ended']);
  });

  test('when loops nest three deep over (1..250), or one runs over (1..1000000), then each runs 15 times, as in Studio', async () => {
    const flow = restFlow(
      setVariables('nested', [['v', loops(3, 'x')]], 'long'),
      setVariables('long', [['w', '{% for i in (1..1000000) %}xxxxxxxxxxxxxxxxxxxx{% endfor %}']]),
    );

    const { sid, context } = await run(flow);

    expect(context.flow.variables.v).toBe('x'.repeat(15 ** 3));
    expect(context.flow.variables.w).toBe('x'.repeat(20 * 15));
    await expectCleanHistory(sid);
  });

  test('when loops nest six deep, then the execution ends with flow.error naming the widget, and its webhook is removed', async () => {
    const { sid, conversation, context, steps } = await run(inConversation(setVariables('explode', [['v', loops(6, '{% if false %}x{% endif %}')]])));

    expect(context.flow.error).toEqual({ code: 84002, message: expect.stringMatching(/^widget 'explode': .*too much work/) });
    expect(steps.at(-1)).toEqual(['failed', 'explode', 'Ended']);
    expect(conversation!.webhooks.size).toBe(0);
    expect(context.flow.channel).toMatchObject({ status: 'ended' });
    await expectCleanHistory(sid);
  });

  test('when a value renders larger than 64 KiB, then the execution ends with flow.error, and its webhook is removed', async () => {
    const doubling = '{% assign s = "xxxxxxxxxx" %}{% for i in (1..15) %}{% assign s = s | append: s %}{% endfor %}{{ s }}';

    const { sid, conversation, context, steps } = await run(inConversation(setVariables('huge', [['v', doubling]])));

    expect(context.flow.error).toEqual({ code: 84002, message: expect.stringMatching(/^widget 'huge': .*larger than 64 KiB/) });
    expect(steps.at(-1)).toEqual(['failed', 'huge', 'Ended']);
    expect(conversation!.webhooks.size).toBe(0);
    await expectCleanHistory(sid);
  });

  test('when one step writes more than 192 KiB, then the execution ends with flow.error naming the widget', async () => {
    // Each variable is written twice (flow.variables and widgets.<name>): two of 60 KB make 240 KB.
    const flow = setVariables('greedy', [
      ['a', SIXTY_KB],
      ['b', SIXTY_KB],
    ]);

    const { sid, context, steps } = await run(restFlow(flow), { chunk: 'y'.repeat(4_000) });

    expect(context.flow.error).toEqual({ code: 84002, message: expect.stringMatching(/^widget 'greedy': writes 23\d KiB to the context, more than the 192 KiB one step may write$/) });
    expect(steps.at(-1)).toEqual(['failed', 'greedy', 'Ended']);
    expect(context.flow.variables).toEqual({});
    await expectCleanHistory(sid);
  });

  test('when the context would grow past 256 KiB, then the execution ends with flow.error naming the widget that grew it', async () => {
    const flow = restFlow(setVariables('one', [['a', SIXTY_KB]], 'two'), setVariables('two', [['b', SIXTY_KB]], 'three'), setVariables('three', [['c', SIXTY_KB]]));

    const { sid, context, steps } = await run(flow, { chunk: 'y'.repeat(4_000) });

    expect(context.flow.error).toEqual({ code: 84002, message: expect.stringMatching(/^widget 'three': would make the execution context 3\d\d KiB, more than the 256 KiB/) });
    expect(steps.map((step) => step[0])).toEqual(['incomingRequest', 'next', 'next', 'failed']);
    expect(Object.keys(context.flow.variables)).toEqual(['a', 'b']);
    await expectCleanHistory(sid);
  });

  test('when a loop of widgets that need no effect does heavy work each time round, then it runs over several workflow tasks to its end', async () => {
    // About 300,000 characters of template per turn, more than one workflow task's share: each turn gets a task.
    const heavy = `{% for i in (1..15) %}${'{% if false %}x{% endif %}'.repeat(1_500)}{% endfor %}`;
    const flow = restFlow(setVariables('count', [['count', `{{flow.variables.count | default: 0 | plus: 1}}${heavy}`]], 'check'), {
      name: 'check',
      type: 'split-based-on',
      properties: { input: '{{flow.variables.count}}' },
      transitions: [{ event: 'noMatch' }, { event: 'match', next: 'count', conditions: [{ friendly_name: 'more', arguments: ['{{flow.variables.count}}'], type: 'less_than', value: '12' }] }],
    });

    const { sid, context, steps } = await run(flow);

    expect(context.flow.error).toBeUndefined();
    expect(String(context.flow.variables.count)).toBe('12');
    expect(steps.at(-1)).toEqual(['noMatch', 'check', 'Ended']);
    const types = await expectCleanHistory(sid, 200);
    expect(types.filter((type) => type === 'EVENT_TYPE_TIMER_FIRED').length).toBeGreaterThanOrEqual(5);
  });

  test('when a loop keeps rewriting a large variable, then the execution continues-as-new as its steps\' writes pile up, and every step reads back', async () => {
    // Each turn writes 120 KB (flow.variables.v and widgets.write.v): the context stays small, this run's changes grow.
    const flow = restFlow(setVariables('write', [['v', SIXTY_KB], ['n', '{{flow.variables.n | default: 0 | plus: 1}}']], 'again'), {
      name: 'again',
      type: 'split-based-on',
      properties: { input: '{{flow.variables.n}}' },
      transitions: [{ event: 'noMatch' }, { event: 'match', next: 'write', conditions: [{ friendly_name: 'more', arguments: ['{{flow.variables.n}}'], type: 'less_than', value: '9' }] }],
    });

    const { sid, context, steps } = await run(flow, { chunk: 'y'.repeat(4_000) });

    expect(context.flow.error).toBeUndefined();
    expect(steps).toHaveLength(1 + 9 * 2);
    const continued = await eventually(async () => {
      const runs: string[] = [];
      for await (const execution of stack.temporal.workflow.list({ query: `WorkflowId = '${sid}'` })) runs.push(execution.status.name);
      const count = runs.filter((status) => status === 'CONTINUED_AS_NEW').length;
      return count > 0 ? count : undefined;
    });
    expect(continued).toBeGreaterThanOrEqual(1);
  });

  test('when the core itself throws (a definition started without validation names a widget that is not there), then that execution ends with flow.error, not a failed workflow', async () => {
    // The Temporal CLI path takes a definition as given; the flow API would have refused this one (81022).
    const handle = await startUnvalidated(stack.temporal, stack.config.temporal.taskQueue, missingWidgetFlow(), nextContact());
    const sid = handle.workflowId;
    const view = (await handle.result()) as ExecutionView;

    expect(view.status).toBe('ended');
    expect(view.context.flow.error).toEqual({ code: 84002, message: "widget 'call' could not run: The flow has no widget named 'ghost'" });
    expect(view.stepCount).toBe(2);
    await expectCleanHistory(sid);
  });

  test('after all of them, the same worker process is still up and runs a normal execution to its end', async () => {
    const { context } = await run(restFlow(setVariables('hello', [['greeting', 'Hello {{flow.data.name}}']])), { name: 'Ada' });

    expect(context.flow.variables.greeting).toBe('Hello Ada');
    expect(worker.process.exitCode).toBeNull();
    expect(worker.process.signalCode).toBeNull();
    expect(worker.output()).not.toMatch(/async hook stack|isolateExecutionTimeout|Script execution timed out/);
  });
});
