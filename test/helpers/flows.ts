import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type twilio from 'twilio';
import type { FlowDefinition, WidgetState } from '../../src/flow/definition';
import { eventually } from './wait';

type Widget = Partial<WidgetState> & Pick<WidgetState, 'name' | 'type'>;

/** A flow definition: a REST trigger into the first widget, then the widgets as given. */
export function restFlow(...widgets: Widget[]): FlowDefinition {
  return {
    description: 'test flow',
    initial_state: 'Trigger',
    flags: { allow_concurrent_calls: true },
    states: [
      { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingRequest', next: widgets[0]?.name }], properties: { offset: { x: 0, y: 0 } } },
      ...widgets.map((w) => ({ transitions: [], properties: {}, ...w })),
    ],
  };
}

/**
 * start (a conversation with the contact by SMS) → ask `prompt` and wait `timeout` seconds (a number, or a Liquid
 * template such as `{{flow.data.timeout}}`) → thank with the reply, or say it was late on a timeout.
 */
export function waitForReplyFlow(prompt: string, timeout: string): FlowDefinition {
  return restFlow(
    {
      name: 'start',
      type: 'start-conversation',
      transitions: [{ event: 'created', next: 'ask' }, { event: 'failed' }],
      properties: { participants: [{ type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: '+15559990000' }] },
    },
    {
      name: 'ask',
      type: 'send-and-wait-for-reply',
      transitions: [{ event: 'incomingMessage', next: 'thank' }, { event: 'timeout', next: 'late' }, { event: 'deliveryFailure' }],
      properties: { body: prompt, timeout },
    },
    { name: 'thank', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'Thanks for: {{widgets.ask.inbound.Body}}' } },
    { name: 'late', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'No answer in time' } },
  );
}

/** One of the example flows in flows/. */
export function exampleFlow(file: string): FlowDefinition {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'flows', file), 'utf8')) as FlowDefinition;
}

type Studio = twilio.Twilio['studio']['v2'];

/** Publishes `definition` as a new flow and returns its SID. */
export async function publish(studio: Studio, definition: FlowDefinition, friendlyName = 'test flow'): Promise<string> {
  return (await studio.flows.create({ friendlyName, status: 'published', definition })).sid;
}

/** Starts an execution and waits for it to end; returns it with its steps. */
export async function runToEnd(studio: Studio, flowSid: string, to: string, parameters: object = {}, timeoutMs = 20_000) {
  const { sid } = await studio.flows(flowSid).executions.create({ to, from: '+15559990000', parameters });
  const execution = await waitUntilEnded(studio, flowSid, sid, timeoutMs);
  const steps = await studio.flows(flowSid).executions(sid).steps.list();
  return { execution, steps, events: steps.map((s) => s.name), context: execution.context as ExecutionContextShape };
}

export function waitUntilEnded(studio: Studio, flowSid: string, sid: string, timeoutMs = 20_000) {
  return eventually(async () => {
    const execution = await studio.flows(flowSid).executions(sid).fetch();
    return execution.status === 'ended' ? execution : undefined;
  }, timeoutMs);
}

/** The parts of the execution context tests look into. */
export interface ExecutionContextShape {
  flow: { variables: Record<string, unknown>; error?: { code: number; message: string }; channel: Record<string, unknown> };
  widgets: Record<string, Record<string, unknown>>;
}

/**
 * Starts an execution through the Temporal client alone, as the Temporal CLI path can: the definition is taken as
 * given, without the validation the flow API runs (tests of what the core does with a definition it cannot run).
 */
export function startUnvalidated(temporal: Client, taskQueue: string, definition: FlowDefinition, to: string) {
  const sid = `FN${randomBytes(16).toString('hex')}`;
  return temporal.workflow.start('executionWorkflow', {
    workflowId: sid,
    taskQueue,
    args: [{ flowSid: `FW${'0'.repeat(32)}`, to, from: '+15559990000', definition, flowRevision: 1 }],
  });
}

/** A flow the API would refuse (81022): its HTTP Request goes on to a widget that is not there. */
export function missingWidgetFlow(): FlowDefinition {
  return restFlow({ name: 'call', type: 'make-http-request', transitions: [{ event: 'success', next: 'ghost' }, { event: 'failed', next: 'ghost' }], properties: { method: 'GET', url: 'http://127.0.0.1:1/' } });
}
