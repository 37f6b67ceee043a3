import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { Client } from '@temporalio/client';
import { executionConversationPrefix } from '../../src/activities/twilio/conversations';
import { FlowStore } from '../../src/services/flow-store';
import { Arrivals } from './arrivals';
import { ONE_QUESTION_FLOW, ONE_QUESTION_MESSAGES } from './bench-flows';
import { startProcessStack } from './process-stack';
import { argValue, percentile, printTable, runBenchmark, runLimited } from './stats';
import { sleep, until } from './waiting';

/** Marks the contact's own messages at the emulator, so the probe counts only what the flow sends. */
const PARTICIPANT = 'x-bench-participant';
/** Requests in flight from this script (starts, replies): a busy front end, not an unbounded flood. */
const IN_FLIGHT = 32;
const MiB = 1024 * 1024;

interface Side {
  readonly name: string;
  readonly startsPerSecond: number;
  readonly firstPromptsPerSecond: number;
  readonly rss: { worker: number; api?: number; temporal: number };
  readonly peakWorkerRss: number;
  readonly replyP50: number;
  readonly replyP99: number;
  readonly lost: number;
  readonly doubled: number;
  readonly stuck: number;
  readonly runningBefore: number;
  readonly runningAfter: number;
}

/**
 * `npm run bench:scale -- [--n 10000]`: N executions of ONE_QUESTION_FLOW started through the API, all waiting for their answer
 * at once on one worker, then each answered once; the same for a hand-written workflow making the same Twilio calls.
 * Temporal, the worker, the API and the baseline worker are separate processes, so each one's memory is its own.
 */
async function main(): Promise<void> {
  const n = argValue('n', 10_000);
  const deadlineMs = argValue('deadline-seconds', Math.max(600, n / 5)) * 1000; // per phase; never waits forever
  const flowMessages = new Arrivals();
  const stack = await startProcessStack({ name: 'bench-scale', emulatorProbe: flowMessages.probe(/\/Conversations\/(CH[0-9a-f]{32})\/Messages$/, (headers) => headers[PARTICIPANT] !== undefined) });
  const { client, authorization, apiUrl, pids } = stack;
  try {
    const flowSid = (await new FlowStore(client, stack.config.temporal.taskQueue).save({ friendly_name: 'scale', status: 'published', definition: ONE_QUESTION_FLOW })).flow_sid;
    // The API reads a revision through the worker once; on a busy machine the first read may miss its deadline.
    const warmUp = await until(120_000, async () => {
      const response = await fetch(`${apiUrl}/v2/Flows/${flowSid}/Executions`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ To: '+10000000000', From: '+15559990000' }),
      });
      return response.status === 201 ? ((await response.json()) as { sid: string }).sid : undefined;
    });
    if (!warmUp) throw new Error('the API could not start an execution within 2 minutes');
    await fetch(`${apiUrl}/v2/Flows/${flowSid}/Executions/${warmUp}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ Status: 'ended' }),
    });
    const peaks = new PeakRss(Object.values(pids));
    let startRetries = 0;
    const conversationsOf = (sids: readonly string[]) => conversationsByWorkflow(stack.emulator.store.conversations.values(), sids);

    const ours = await measureSide({
      name: 'studio-temporal (API → executionWorkflow)',
      n,
      deadlineMs,
      client,
      flowMessages,
      peaks,
      pids: { worker: pids.worker, api: pids.api, temporal: pids.temporal },
      conversationsOf,
      start: async (i) => {
        // A 503 says "try again shortly" (Temporal slow to answer on a busy machine): a caller retries, and so does this.
        for (let attempt = 1; ; attempt++) {
          const response = await fetch(`${apiUrl}/v2/Flows/${flowSid}/Executions`, {
            method: 'POST',
            headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ To: contact(i), From: '+15559990000' }),
          });
          if (response.status === 201) return ((await response.json()) as { sid: string }).sid;
          if (response.status !== 503 || attempt >= 5) throw new Error(`create answered ${response.status}: ${await response.text()}`);
          startRetries++;
          await sleep(1_000 * attempt);
        }
      },
      // The contact answers in the conversation; the emulator calls the flow's webhook, signed, as Twilio does.
      reply: (i, _sid, conversationSid) => twilioPost(stack.emulatorUrl, authorization, `/v1/Conversations/${conversationSid}/Messages`, { Author: contact(i), Body: 'great' }),
    });
    const bare = await measureSide({
      name: 'hand-written workflow (client → workflow)',
      n,
      deadlineMs,
      client,
      flowMessages,
      peaks,
      pids: { worker: pids.baseline, temporal: pids.temporal },
      conversationsOf,
      start: async (i) => {
        const workflowId = `FN${randomBytes(16).toString('hex')}`;
        await client.workflow.start('handWrittenConversationWorkflow', {
          workflowId,
          taskQueue: stack.baselineTaskQueue,
          args: [{ to: contact(n + i), from: '+15559990000', timeoutSeconds: 3600 }], // a contact of its own: ours' conversations stay active
        });
        return workflowId;
      },
      reply: (_i, sid) => client.workflow.getHandle(sid).signal('turn', 'great'),
    });
    report(n, ours, bare);
    process.stdout.write(`Starts through the API answered 503 and were retried ${startRetries} times.\n`);
  } finally {
    await stack.stop();
  }
}

interface SideOptions {
  readonly name: string;
  readonly n: number;
  readonly deadlineMs: number;
  readonly client: Client;
  readonly flowMessages: Arrivals;
  readonly peaks: PeakRss;
  readonly pids: { readonly worker: number; readonly api?: number; readonly temporal: number };
  readonly conversationsOf: (sids: readonly string[]) => Map<string, string>;
  /** Starts the i-th execution; resolves with its workflow ID. */
  start(i: number): Promise<string>;
  /** Answers the i-th execution's question. */
  reply(i: number, workflowId: string, conversationSid: string): Promise<unknown>;
}

async function measureSide(side: SideOptions): Promise<Side> {
  const { n, flowMessages } = side;
  const runningBefore = await countRunning(side.client);
  side.peaks.reset();
  const started = performance.now();
  const sids = await runLimited(n, IN_FLIGHT, (i) => side.start(i));
  const startsPerSecond = n / ((performance.now() - started) / 1000);
  progress(side.name, `${n} started, ${startsPerSecond.toFixed(1)}/s`);

  // Every execution has sent its question: all N wait for an answer now.
  const conversations = await until(side.deadlineMs, () => {
    const found = side.conversationsOf(sids);
    return found.size === n && sids.every((sid) => flowMessages.count(found.get(sid)!) >= 1) ? found : undefined;
  });
  const firstPrompts = sids.map((sid) => (conversations ? flowMessages.firstSince(conversations.get(sid)!, 0) : undefined) ?? Number.NaN);
  const firstPromptsPerSecond = n / ((Math.max(...firstPrompts) - started) / 1000);
  await sleep(5_000); // the last tasks complete; what is left is the memory waiting executions hold
  const rss = { worker: rssOf(side.pids.worker), api: side.pids.api ? rssOf(side.pids.api) : undefined, temporal: rssOf(side.pids.temporal) };
  const peakWorkerRss = side.peaks.peak(side.pids.worker);
  progress(side.name, `all waiting: ${firstPromptsPerSecond.toFixed(1)} first prompts/s, worker ${Math.round(rss.worker / MiB)} MiB, Temporal ${Math.round(rss.temporal / MiB)} MiB`);

  const latencies = await runLimited(n, IN_FLIGHT, async (i) => {
    const conversationSid = conversations?.get(sids[i]!);
    if (!conversationSid) return Number.NaN;
    const sent = performance.now();
    await side.reply(i, sids[i]!, conversationSid);
    return Promise.race([flowMessages.nth(conversationSid, 2).then((t) => t - sent), sleep(side.deadlineMs).then(() => Number.NaN)]);
  });
  const answered = latencies.filter((ms) => Number.isFinite(ms)).sort((a, b) => a - b);
  progress(side.name, `${answered.length} answered, p50 ${percentile(answered, 50).toFixed(0)} ms`);

  // Every execution ends after its thank-you; whatever still runs after the deadline is stuck.
  const query = sids.length > 0 ? `WorkflowType IN ('executionWorkflow', 'handWrittenConversationWorkflow') AND ExecutionStatus = 'Running'` : '';
  await until(side.deadlineMs, async () => ((await side.client.workflow.count(query)).count === 0 ? true : undefined));
  await sleep(2_000); // the locks' terminations reach visibility
  const stuck = (await side.client.workflow.count(query)).count;
  const runningAfter = await countRunning(side.client);
  const counts = sids.map((sid) => (conversations?.get(sid) ? flowMessages.count(conversations.get(sid)!) : 0));
  return {
    name: side.name,
    startsPerSecond,
    firstPromptsPerSecond,
    rss,
    peakWorkerRss,
    replyP50: percentile(answered, 50),
    replyP99: percentile(answered, 99),
    lost: counts.filter((c) => c < ONE_QUESTION_MESSAGES.length).length,
    doubled: counts.filter((c) => c > ONE_QUESTION_MESSAGES.length).length,
    stuck,
    runningBefore,
    runningAfter,
  };
}

function report(n: number, ours: Side, bare: Side): void {
  const mib = (bytes: number | undefined) => (bytes === undefined ? '—' : Math.round(bytes / MiB));
  const row = (s: Side) => ({
    '': s.name,
    'worker RSS MiB': mib(s.rss.worker),
    'peak worker MiB': mib(s.peakWorkerRss),
    'API RSS MiB': mib(s.rss.api),
    'Temporal RSS MiB': mib(s.rss.temporal),
    'starts/s': s.startsPerSecond,
    'first prompts/s': s.firstPromptsPerSecond,
    'reply→next p50 ms': s.replyP50,
    'p99 ms': s.replyP99,
    'lost/doubled/stuck': `${s.lost}/${s.doubled}/${s.stuck}`,
    'Running before→after': `${s.runningBefore}→${s.runningAfter}`,
  });
  printTable(`bench:scale — ${n} executions waiting at once, ${cpus().length} CPUs, Temporal dev server (in-memory SQLite), separate processes`, [
    row(ours),
    row(bare),
    {
      '': 'ratio studio / hand-written',
      'worker RSS MiB': ours.rss.worker / bare.rss.worker,
      'peak worker MiB': ours.peakWorkerRss / bare.peakWorkerRss,
      'API RSS MiB': '',
      'Temporal RSS MiB': '',
      'starts/s': ours.startsPerSecond / bare.startsPerSecond,
      'first prompts/s': ours.firstPromptsPerSecond / bare.firstPromptsPerSecond,
      'reply→next p50 ms': ours.replyP50 / bare.replyP50,
      'p99 ms': ours.replyP99 / bare.replyP99,
      'lost/doubled/stuck': '',
      'Running before→after': '',
    },
  ]);
  process.stdout.write(
    '\nRSS is read while all executions wait (5 s after the last first prompt); Temporal holds both sides\' histories by then.\n' +
      'Targets: worker RSS under 1.5 GiB at 10,000, first prompts/s at least 0.8 of the hand-written workflow\'s, 0/0/0, Running back to its count before.\n',
  );
}

/** The workflow each conversation belongs to, read from its unique name (start-conversation's, see executionConversationPrefix). */
function conversationsByWorkflow(conversations: Iterable<{ sid: string; uniqueName?: string | null }>, sids: readonly string[]): Map<string, string> {
  const wanted = new Set(sids);
  const found = new Map<string, string>();
  for (const conversation of conversations) {
    const workflowId = conversation.uniqueName?.startsWith('studio-') ? conversation.uniqueName.slice('studio-'.length, 'studio-'.length + 34) : undefined;
    if (workflowId && wanted.has(workflowId) && conversation.uniqueName!.startsWith(executionConversationPrefix(workflowId))) found.set(workflowId, conversation.sid);
  }
  return found;
}

/** Running workflows of every type in the namespace (executions, contact locks, flows and revisions). */
async function countRunning(client: Client): Promise<number> {
  return (await client.workflow.count(`ExecutionStatus = 'Running'`)).count;
}

/** Resident set size of a process, in bytes (Linux /proc). */
function rssOf(pid: number): number {
  try {
    const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Number(kib) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** The highest RSS of each process, sampled every half second until the script ends. */
class PeakRss {
  private readonly peaks = new Map<number, number>();
  constructor(private readonly pids: readonly number[]) {
    setInterval(() => this.sample(), 500).unref();
  }
  private sample(): void {
    for (const pid of this.pids) this.peaks.set(pid, Math.max(this.peaks.get(pid) ?? 0, rssOf(pid) || 0));
  }
  reset(): void {
    this.peaks.clear();
  }
  peak(pid: number): number {
    this.sample();
    return this.peaks.get(pid) ?? Number.NaN;
  }
}

/** A line on stderr as each phase ends, so a run cut short still says how far it got. */
function progress(side: string, what: string): void {
  process.stderr.write(`bench:scale ${new Date().toISOString()} ${side}: ${what}\n`);
}

function contact(i: number): string {
  return `+1777${String(i).padStart(7, '0')}`;
}

async function twilioPost(baseUrl: string, authorization: string, path: string, params: Record<string, string>): Promise<unknown> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-webhook-enabled': 'true', [PARTICIPANT]: '1' },
    body: new URLSearchParams(params),
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

runBenchmark('bench:scale', main);
