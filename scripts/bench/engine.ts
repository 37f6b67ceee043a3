import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import type { FlowDefinition } from '../../src/flow/definition';
import { FlowStore } from '../../src/services/flow-store';
import { contactLockId } from '../../src/workflows/contracts/contact-lock';
import { type BenchStack, startBenchStack } from './bench-stack';
import { argValue, mean, percentile, printTable, runBenchmark, runLimited } from './stats';

/** The benchmark's five-widget flow: set-variables, split, HTTP request, send-message, end. */
const FLOW: FlowDefinition = {
  initial_state: 'Trigger',
  states: [
    { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingRequest', next: 'keep' }], properties: {} },
    { name: 'keep', type: 'set-variables', transitions: [{ event: 'next', next: 'has_order' }], properties: { variables: [{ key: 'order_id', value: '{{flow.data.order_id | strip}}' }] } },
    {
      name: 'has_order',
      type: 'split-based-on',
      transitions: [
        { event: 'noMatch', next: 'lookup' },
        { event: 'match', conditions: [{ friendly_name: 'blank', arguments: ['{{flow.variables.order_id}}'], type: 'is_blank', value: 'Is Blank' }] },
      ],
      properties: { input: '{{flow.variables.order_id}}' },
    },
    { name: 'lookup', type: 'make-http-request', transitions: [{ event: 'success', next: 'tell' }, { event: 'failed', next: 'tell' }], properties: { method: 'GET', url: '{{flow.data.status_url}}', parameters: [{ key: 'order_id', value: '{{flow.variables.order_id}}' }] } },
    { name: 'tell', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'Order {{flow.variables.order_id}}: {{widgets.lookup.parsed.status}}' } },
  ],
};

interface Run {
  readonly latencyMs: number;
  readonly events: number;
  readonly extraEvents: number;
}

/** `npm run bench:engine -- [--n 200] [--concurrency 20]`: the Studio runtime against a hand-written workflow. */
async function main(): Promise<void> {
  const n = argValue('n', 200);
  const concurrency = argValue('concurrency', 20);
  const stack = await startBenchStack(require.resolve('./hand-written-workflow'));
  try {
    const flowSid = (await new FlowStore(stack.client, stack.config.temporal.taskQueue).save({ friendly_name: 'bench', status: 'published', definition: FLOW })).flow_sid;
    const ours = (i: number) => runThroughApi(stack, flowSid, i);
    const baseline = (i: number) => runHandWritten(stack, i);
    await runLimited(10, concurrency, ours); // warm-up: bundles, caches, connections
    await runLimited(10, concurrency, baseline);
    const measured = await measureAlternating(n, concurrency, ours, baseline);
    report(n, concurrency, measured);
  } finally {
    await stack.stop();
  }
}

const ROUNDS = 4;

/**
 * Both sides run in alternating rounds (ours, theirs, theirs, ours, …), so neither gets a warmer machine or a
 * fuller database; each side's figures cover all of its rounds.
 */
async function measureAlternating(n: number, concurrency: number, ours: (i: number) => Promise<Run>, baseline: (i: number) => Promise<Run>) {
  const sides = { ours: { runs: [] as Run[], seconds: 0 }, baseline: { runs: [] as Run[], seconds: 0 } };
  const perRound = Math.ceil(n / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['ours', 'baseline'] as const) : (['baseline', 'ours'] as const);
    for (const side of order) {
      const started = Date.now();
      sides[side].runs.push(...(await runLimited(perRound, concurrency, side === 'ours' ? ours : baseline)));
      sides[side].seconds += (Date.now() - started) / 1000;
    }
  }
  return { ours: summarize(sides.ours.runs, sides.ours.seconds), baseline: summarize(sides.baseline.runs, sides.baseline.seconds) };
}

function summarize(runs: readonly Run[], seconds: number) {
  const latencies = runs.map((r) => r.latencyMs).sort((a, b) => a - b);
  return {
    perSecond: runs.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    events: mean(runs.map((r) => r.events)),
    extraEvents: mean(runs.map((r) => r.extraEvents)),
  };
}

let contact = 0;

async function runThroughApi(stack: BenchStack, flowSid: string, i: number): Promise<Run> {
  const to = `+1777${String(++contact).padStart(7, '0')}`;
  const started = Date.now();
  const response = await fetch(`${stack.api.url}/v2/Flows/${flowSid}/Executions`, {
    method: 'POST',
    headers: { authorization: stack.authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ To: to, From: '+15559990000', Parameters: JSON.stringify({ order_id: String(i), status_url: stack.ordersUrl }) }),
  });
  if (response.status !== 201) throw new Error(`create answered ${response.status}: ${await response.text()}`);
  const { sid } = (await response.json()) as { sid: string };
  await stack.client.workflow.getHandle(sid).result();
  const latencyMs = Date.now() - started;
  const events = (await stack.client.workflow.getHandle(sid).describe()).historyLength;
  const lock = await stack.client.workflow.getHandle(contactLockId(flowSid, to)).describe();
  return { latencyMs, events, extraEvents: lock.historyLength };
}

async function runHandWritten(stack: BenchStack, i: number): Promise<Run> {
  const started = Date.now();
  const handle = await stack.client.workflow.start('handWrittenOrderWorkflow', {
    workflowId: `bench-${randomBytes(8).toString('hex')}`,
    taskQueue: stack.baselineTaskQueue,
    args: [{ to: `+1888${String(i).padStart(7, '0')}`, from: '+15559990000', orderId: String(i), statusUrl: stack.ordersUrl }],
  });
  await handle.result();
  const latencyMs = Date.now() - started;
  return { latencyMs, events: (await handle.describe()).historyLength, extraEvents: 0 };
}

function report(n: number, concurrency: number, m: Awaited<ReturnType<typeof measureAlternating>>): void {
  const row = (name: string, r: typeof m.ours) => ({
    '': name,
    'executions/s': r.perSecond,
    'p50 ms': r.p50,
    'p99 ms': r.p99,
    'history events (execution)': r.events,
    'history events (contact lock)': r.extraEvents,
  });
  printTable(`bench:engine — ${n} executions, ${concurrency} in flight, ${cpus().length} CPUs, Temporal dev server (in-memory SQLite)`, [
    row('studio-temporal (through the API)', m.ours),
    row('hand-written workflow', m.baseline),
    {
      '': 'ratio ours / hand-written',
      'executions/s': m.ours.perSecond / m.baseline.perSecond,
      'p50 ms': m.ours.p50 / m.baseline.p50,
      'p99 ms': m.ours.p99 / m.baseline.p99,
      'history events (execution)': m.ours.events / m.baseline.events,
      'history events (contact lock)': '',
    },
  ]);
  process.stdout.write('\nTargets: executions/s ratio ≥ 0.80; execution history events ≤ the hand-written workflow\'s.\n');
}

runBenchmark('bench:engine', main);
