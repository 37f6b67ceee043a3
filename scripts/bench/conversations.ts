import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { temporal } from '@temporalio/proto';
import type { FlowDefinition } from '../../src/flow/definition';
import { executionConversationPrefix } from '../../src/activities/twilio/conversations';
import { FlowStore } from '../../src/services/flow-store';
import { Arrivals } from './arrivals';
import { conversationStart } from './bench-flows';
import { type ProcessStack, startProcessStack } from './process-stack';
import { argValue, percentile, printTable, runBenchmark } from './stats';

/** start-conversation, then ten rounds of send-and-wait-for-reply, then goodbye. */
const FLOW: FlowDefinition = {
  initial_state: 'Trigger',
  states: [
    ...conversationStart('ask'),
    { name: 'ask', type: 'send-and-wait-for-reply', transitions: [{ event: 'incomingMessage', next: 'count' }, { event: 'timeout' }], properties: { body: 'Turn {{flow.variables.n | default: 0}}', timeout: '600' } },
    { name: 'count', type: 'set-variables', transitions: [{ event: 'next', next: 'more' }], properties: { variables: [{ key: 'n', value: '{{flow.variables.n | default: 0 | plus: 1}}' }] } },
    {
      name: 'more',
      type: 'split-based-on',
      transitions: [{ event: 'noMatch', next: 'bye' }, { event: 'match', next: 'ask', conditions: [{ friendly_name: 'n < 10', arguments: ['{{flow.variables.n}}'], type: 'less_than', value: '10' }] }],
      properties: { input: '{{flow.variables.n}}' },
    },
    { name: 'bye', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'bye' } },
  ],
};

const TURNS = 10;
const EXPECTED_FLOW_MESSAGES = [...Array.from({ length: TURNS }, (_, i) => `Turn ${i}`), 'bye'];
const PARTICIPANT = 'x-bench-participant';

const flowMessages = new Arrivals(); // outbound messages at the emulator, by conversation

/** `npm run bench:conversations -- [--executions 100]`: conversation turns through webhooks, against a bare signal round trip. */
async function main(): Promise<void> {
  const executions = argValue('executions', 100);
  const conversationPath = /\/Conversations\/(CH[0-9a-f]{32})\/Messages$/;
  // The worker, the API and the baseline's worker run as processes of their own; the emulator (Twilio's side) and
  // the contacts run here, as they would on Twilio and on the contacts' phones.
  const stack = await startProcessStack({ name: 'bench-conversations', emulatorProbe: flowMessages.probe(conversationPath, (headers) => headers[PARTICIPANT] !== undefined) });
  try {
    const flowSid = (await new FlowStore(stack.client, stack.config.temporal.taskQueue).save({ friendly_name: 'turns', status: 'published', definition: FLOW })).flow_sid;
    const ours = await measure(executions, (i) => studioConversation(stack, flowSid, i));
    const bare = await measure(executions, () => bareConversation(stack));
    await report(stack, executions, ours, bare);
  } finally {
    await stack.stop();
  }
}

interface Conversation {
  readonly latencies: number[];
  readonly conversationSid: string;
  readonly workflowId: string;
}

async function measure(executions: number, run: (i: number) => Promise<Conversation>) {
  const started = performance.now();
  const conversations = await Promise.all(Array.from({ length: executions }, (_, i) => run(i)));
  const seconds = (performance.now() - started) / 1000;
  const latencies = conversations.flatMap((c) => c.latencies).sort((a, b) => a - b);
  return { turnsPerSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), conversations };
}

/**
 * One execution of FLOW, answered turn by turn; each latency runs from the emulator sending the reply's webhook to
 * the API (its delivery log's start time) to the next prompt reaching Twilio.
 */
async function studioConversation(stack: ProcessStack, flowSid: string, i: number): Promise<Conversation> {
  const to = `+1666${String(i).padStart(7, '0')}`;
  let response: Response;
  // A 503 says "try again shortly" (the first read of the flow, on a busy machine): a caller retries, and so does this.
  for (let attempt = 1; ; attempt++) {
    response = await fetch(`${stack.apiUrl}/v2/Flows/${flowSid}/Executions`, {
      method: 'POST',
      headers: { authorization: stack.authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ To: to, From: '+15559990000' }),
    });
    if (response.status !== 503 || attempt >= 5) break;
    await new Promise((r) => setTimeout(r, 1_000 * attempt));
  }
  if (response.status !== 201) throw new Error(`create answered ${response.status}: ${await response.text()}`);
  const { sid } = (await response.json()) as { sid: string };
  const conversationSid = await conversationOf(stack, sid);
  const turns: Array<{ messageSid: string; next: number }> = [];
  for (let turn = 0; turn < TURNS; turn++) {
    await flowMessages.nth(conversationSid, turn + 1);
    const { sid: messageSid } = (await reply(stack, conversationSid, to, `answer ${turn}`)) as { sid: string };
    turns.push({ messageSid, next: await flowMessages.nth(conversationSid, turn + 2) });
  }
  // A delivery is logged once the API answered it, which may be just after the next prompt went out.
  const webhookSent = await stack.emulator.waitForDeliveries((attempts) => turns.every((t) => attempts.some((a) => a.messageSid === t.messageSid)), 10_000);
  const sentAt = (messageSid: string) => webhookSent.find((a) => a.messageSid === messageSid && a.attempt === 0)!.at.getTime() - performance.timeOrigin;
  return { latencies: turns.map((t) => t.next - sentAt(t.messageSid)), conversationSid, workflowId: sid };
}

/** The same ten turns as a bare workflow: a signal, then an activity sending the next message. */
async function bareConversation(stack: ProcessStack): Promise<Conversation> {
  const conversation = await twilioPost(stack, '/v1/Conversations', {});
  const conversationSid = (conversation as { sid: string }).sid;
  const handle = await stack.client.workflow.start('bareTurnsWorkflow', {
    workflowId: `bare-${randomBytes(8).toString('hex')}`,
    taskQueue: stack.baselineTaskQueue,
    args: [{ conversationSid, turns: TURNS }],
  });
  const latencies: number[] = [];
  for (let turn = 0; turn < TURNS; turn++) {
    await flowMessages.nth(conversationSid, turn + 1);
    const sent = performance.now();
    await handle.signal('turn', `answer ${turn}`);
    latencies.push((await flowMessages.nth(conversationSid, turn + 2)) - sent);
  }
  return { latencies, conversationSid, workflowId: handle.workflowId };
}

async function conversationOf(stack: ProcessStack, executionSid: string): Promise<string> {
  for (;;) {
    const found = [...stack.emulator.store.conversations.values()].find((c) => c.uniqueName?.startsWith(executionConversationPrefix(executionSid)));
    if (found) return found.sid;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The participant speaks: created with X-Twilio-Webhook-Enabled, so the emulator calls the flow's webhook. */
function reply(stack: ProcessStack, conversationSid: string, author: string, body: string): Promise<unknown> {
  return twilioPost(stack, `/v1/Conversations/${conversationSid}/Messages`, { Author: author, Body: body }, { 'x-twilio-webhook-enabled': 'true', [PARTICIPANT]: '1' });
}

async function twilioPost(stack: ProcessStack, path: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(`${stack.emulatorUrl}${path}`, {
    method: 'POST',
    headers: { authorization: stack.authorization, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params),
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/**
 * Each conversation holds exactly the prompts and the goodbye, once each, in order: no turn lost or doubled. Read a
 * moment after the last arrival, which the probe times before the emulator has stored the message.
 */
async function checked(stack: ProcessStack, conversations: readonly Conversation[]): Promise<string> {
  await new Promise((r) => setTimeout(r, 500));
  const wrong = conversations.filter((c) => {
    const messages = stack.emulator.store.conversations.get(c.conversationSid)?.messages ?? [];
    const fromFlow = messages.filter((m) => !m.body?.startsWith('answer ')).map((m) => m.body);
    return JSON.stringify(fromFlow) !== JSON.stringify(EXPECTED_FLOW_MESSAGES);
  });
  return wrong.length === 0 ? 'none lost or doubled' : `${wrong.length} conversations WRONG`;
}

async function report(stack: ProcessStack, executions: number, ours: Awaited<ReturnType<typeof measure>>, bare: Awaited<ReturnType<typeof measure>>): Promise<void> {
  const [oursTurns, bareTurns] = [await checked(stack, ours.conversations), await checked(stack, bare.conversations)];
  const row = (name: string, m: typeof ours, turns: string) => ({ '': name, 'turns/s': m.turnsPerSecond, 'p50 ms': m.p50, 'p99 ms': m.p99, turns });
  printTable(`bench:conversations — ${executions} conversations × ${TURNS} turns at once, ${cpus().length} CPUs, Temporal dev server (in-memory SQLite)`, [
    row('studio-temporal: webhook at the API → next prompt at Twilio', ours, oursTurns),
    row('bare Temporal: signal → activity → message at Twilio', bare, bareTurns),
    { '': 'ratio studio / bare', 'turns/s': ours.turnsPerSecond / bare.turnsPerSecond, 'p50 ms': ours.p50 / bare.p50, 'p99 ms': ours.p99 / bare.p99, turns: '' },
  ]);
  const [oursTurn, bareTurn] = [await oneTurn(stack, ours.conversations[0]!.workflowId), await oneTurn(stack, bare.conversations[0]!.workflowId)];
  const types = [...new Set([...oursTurn.keys(), ...bareTurn.keys()])].sort();
  printTable(
    'History events of one turn (from the 5th reply signal to the 6th, first conversation of each)',
    [...types, 'total'].map((type) => ({
      event: type,
      'studio-temporal': type === 'total' ? sum(oursTurn) : (oursTurn.get(type) ?? 0),
      bare: type === 'total' ? sum(bareTurn) : (bareTurn.get(type) ?? 0),
    })),
  );
  process.stdout.write('\nTarget: throughput ratio ≥ 0.8, p99 ratio ≤ 1.2, and not one turn lost or doubled.\n');
}

/** Event types, counted, from the 5th reply signal (inclusive) to the 6th (exclusive): one turn in steady state. */
async function oneTurn(stack: ProcessStack, workflowId: string): Promise<Map<string, number>> {
  const events = (await stack.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const signals = events.flatMap((event, i) => (event.workflowExecutionSignaledEventAttributes ? [i] : []));
  const counts = new Map<string, number>();
  for (const event of events.slice(signals[4], signals[5])) {
    const type = String(temporal.api.enums.v1.EventType[event.eventType ?? 0]).replace('EVENT_TYPE_', '');
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return counts;
}

function sum(counts: Map<string, number>): number {
  return [...counts.values()].reduce((a, b) => a + b, 0);
}

runBenchmark('bench:conversations', main);
