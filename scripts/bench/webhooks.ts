import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import twilio from 'twilio';
import { DeliverySlots } from '../../emulator/delivery-slots';
import { DEFAULT_MAX_CONCURRENT } from '../../emulator/emulator';
import { executionConversationPrefix } from '../../src/activities/twilio/conversations';
import type { FlowDefinition } from '../../src/flow/definition';
import { FlowStore } from '../../src/services/flow-store';
import { Arrivals } from './arrivals';
import { type ProcessStack, startProcessStack } from './process-stack';
import { argValue, percentile, printTable, runBenchmark, runLimited } from './stats';

/** start-conversation, one question, a thank-you: every execution waits in send-and-wait-for-reply for the burst. */
const FLOW: FlowDefinition = {
  initial_state: 'Trigger',
  states: [
    { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingRequest', next: 'start' }], properties: {} },
    {
      name: 'start',
      type: 'start-conversation',
      transitions: [{ event: 'created', next: 'ask' }, { event: 'failed' }],
      properties: { participants: [{ type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: '+15559990000' }] },
    },
    { name: 'ask', type: 'send-and-wait-for-reply', transitions: [{ event: 'incomingMessage', next: 'thanks' }, { event: 'timeout' }], properties: { body: 'How was it?', timeout: '3600' } },
    { name: 'thanks', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'Thanks!' } },
  ],
};
/** The flow's messages per conversation once its reply is taken: the question and the thank-you. */
const EXPECTED_FLOW_MESSAGES = 2;
/** Marks the contact's own messages at the emulator, so the probe counts only what the flow sends. */
const PARTICIPANT = 'x-bench-participant';
/** Requests in flight from this script while it sets up (starts, the contacts' messages): not the burst. */
const SETUP_IN_FLIGHT = 32;
/** Twilio gives a webhook this long to answer before it counts a time-out. */
const WEBHOOK_TIMEOUT_MS = 5_000;
/** The longest Retry-After this sender honours; a longer one is cut to it (a sender does not park a reply for long). */
const MAX_RETRY_AFTER_MS = 30_000;

/** What one webhook attempt was answered: an HTTP status, or no answer within the time-out, or a broken connection. */
type Answer = number | 'timeout' | 'error';

interface Attempt {
  readonly answer: Answer;
  readonly ms: number;
}

interface Burst {
  readonly name: string;
  readonly acceptedPerSecond: number;
  readonly accepted: number;
  readonly attempts: readonly Attempt[];
  readonly lost: number;
  readonly doubled: number | undefined;
  readonly stuck: number;
  readonly seconds: number;
}

/**
 * `npm run bench:webhooks -- [--n 5000] [--concurrency 50] [--attempts 4]`: N executions of FLOW wait for their
 * reply; then N signed Conversations onMessageAdded webhooks, one reply each, go straight to the API's webhook route
 * with at most `concurrency` in flight, retried as Twilio retries (a 503 after its Retry-After, a 5xx or a time-out
 * at once, `attempts` tries in all). Beside it, N bare workflows signalled by a plain Temporal client with the same
 * concurrency. Every part runs in its own process.
 */
async function main(): Promise<void> {
  const n = argValue('n', 5_000);
  const concurrency = argValue('concurrency', DEFAULT_MAX_CONCURRENT);
  const maxAttempts = argValue('attempts', 4);
  const deadlineMs = argValue('deadline-seconds', Math.max(600, n / 5)) * 1000; // per phase; never waits forever
  const flowMessages = new Arrivals();
  const started = performance.now();
  const stack = await startProcessStack({
    name: 'bench-webhooks',
    emulatorProbe: flowMessages.probe(/\/Conversations\/(CH[0-9a-f]{32})\/Messages$/, (headers) => headers[PARTICIPANT] !== undefined),
  });
  try {
    const flowSid = (await new FlowStore(stack.client, stack.config.temporal.taskQueue).save({ friendly_name: 'webhooks', status: 'published', definition: FLOW })).flow_sid;
    const ours = await conversationsBurst(stack, flowSid, flowMessages, { n, concurrency, maxAttempts, deadlineMs });
    const metrics = await scrape(stack.apiMetricsUrl, /^studio_(webhooks|reply_redeliveries)\{/);
    const bare = await bareBurst(stack, { n, concurrency, deadlineMs });
    report({ n, concurrency, maxAttempts }, ours, bare);
    process.stdout.write(`\nThe API's metrics after the burst:\n${metrics.map((line) => `  ${line}`).join('\n')}\n`);
    process.stdout.write(`Wall time ${((performance.now() - started) / 1000).toFixed(0)} s.\n`);
  } finally {
    await stack.stop();
  }
}

interface BurstOptions {
  readonly n: number;
  readonly concurrency: number;
  readonly maxAttempts: number;
  readonly deadlineMs: number;
}

/** One webhook as Twilio would post it: the URL the execution registered, and the onMessageAdded fields. */
interface Webhook {
  readonly url: string;
  readonly params: Readonly<Record<string, string>>;
}

async function conversationsBurst(stack: ProcessStack, flowSid: string, flowMessages: Arrivals, options: BurstOptions): Promise<Burst> {
  const { n, deadlineMs } = options;
  const name = 'studio-temporal (onMessageAdded webhook → API → signal)';
  const startedAt = performance.now();
  const sids = await runLimited(n, SETUP_IN_FLIGHT, (i) => startExecution(stack, flowSid, contact(i)));
  progress(name, `${n} started in ${seconds(startedAt)} s`);
  // Every execution has sent its question: all N wait in send-and-wait-for-reply now.
  const conversations = await until(deadlineMs, () => {
    const found = conversationsOf(stack, sids);
    return found.size === n && sids.every((sid) => flowMessages.count(found.get(sid)!) >= 1) ? found : undefined;
  });
  if (!conversations) throw new Error(`not all ${n} executions asked their question within ${deadlineMs / 1000} s`);
  progress(name, `all ${n} wait for their reply (${seconds(startedAt)} s)`);
  // The contacts answer: each message exists at Twilio before its webhook, as it does at Twilio.
  const webhooks = await runLimited(n, SETUP_IN_FLIGHT, (i) => contactAnswers(stack, sids[i]!, conversations.get(sids[i]!)!, contact(i)));
  const burstAt = performance.now();
  const slots = new DeliverySlots(options.concurrency);
  const attempts: Attempt[] = [];
  let lastAccepted = burstAt;
  const accepted = await Promise.all(
    webhooks.map(async (webhook) => {
      const ok = await deliver(stack, webhook, slots, options.maxAttempts, (attempt) => attempts.push(attempt));
      if (ok) lastAccepted = Math.max(lastAccepted, performance.now());
      return ok;
    }),
  );
  const acceptedCount = accepted.filter(Boolean).length;
  progress(name, `${acceptedCount} of ${n} webhooks accepted after ${attempts.length} attempts in ${seconds(burstAt)} s`);

  // Every execution takes its reply and thanks the contact once; whatever has not by the deadline is lost.
  const conversationSids = sids.map((sid) => conversations.get(sid)!);
  await until(deadlineMs, () => (conversationSids.every((cs) => flowMessages.count(cs) >= EXPECTED_FLOW_MESSAGES) ? true : undefined));
  await sleep(3_000); // a doubled thank-you, if any, has time to arrive
  const counts = conversationSids.map((cs) => flowMessages.count(cs));
  // Every execution ends after its thank-you; whatever still runs at the deadline is stuck.
  const running = async () => (await stack.client.workflow.count(`WorkflowType = 'executionWorkflow' AND ExecutionStatus = 'Running'`)).count;
  await until(deadlineMs, async () => ((await running()) === 0 ? true : undefined));
  const stuck = await running();
  return {
    name,
    acceptedPerSecond: acceptedCount / ((lastAccepted - burstAt) / 1000),
    accepted: acceptedCount,
    attempts,
    lost: counts.filter((c) => c < EXPECTED_FLOW_MESSAGES).length,
    doubled: counts.filter((c) => c > EXPECTED_FLOW_MESSAGES).length,
    stuck,
    seconds: (lastAccepted - burstAt) / 1000,
  };
}

/** Starts an execution through the API; a 503 (Temporal slow on a busy machine) is retried, as a caller would. */
async function startExecution(stack: ProcessStack, flowSid: string, to: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${stack.apiUrl}/v2/Flows/${flowSid}/Executions`, {
      method: 'POST',
      headers: { authorization: stack.authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ To: to, From: '+15559990000' }),
    });
    if (response.status === 201) return ((await response.json()) as { sid: string }).sid;
    if (response.status !== 503 || attempt >= 5) throw new Error(`create answered ${response.status}: ${await response.text()}`);
    await sleep(1_000 * attempt);
  }
}

/** Each execution's conversation, found by its unique name (start-conversation's: `studio-<FN…>-<run ID>`, see executionConversationPrefix). */
function conversationsOf(stack: ProcessStack, sids: readonly string[]): Map<string, string> {
  const wanted = new Set(sids);
  const found = new Map<string, string>();
  for (const conversation of stack.emulator.store.conversations.values()) {
    const sid = conversation.uniqueName?.slice('studio-'.length, 'studio-'.length + 34) ?? '';
    if (wanted.has(sid) && conversation.uniqueName!.startsWith(executionConversationPrefix(sid))) found.set(sid, conversation.sid);
  }
  return found;
}

/**
 * The contact's reply, added to the conversation without a webhook (the emulator stores it), and the onMessageAdded
 * webhook Twilio would post for it to the execution's scoped webhook: the fields of Twilio's post-event body.
 */
async function contactAnswers(stack: ProcessStack, executionSid: string, conversationSid: string, author: string): Promise<Webhook> {
  const response = await fetch(`${stack.emulatorUrl}/v1/Conversations/${conversationSid}/Messages`, {
    method: 'POST',
    headers: { authorization: stack.authorization, 'content-type': 'application/x-www-form-urlencoded', [PARTICIPANT]: '1' },
    body: new URLSearchParams({ Author: author, Body: 'great' }),
  });
  if (!response.ok) throw new Error(`the contact's message answered ${response.status}: ${await response.text()}`);
  const { sid } = (await response.json()) as { sid: string };
  const conversation = stack.emulator.store.conversations.get(conversationSid)!;
  const message = conversation.messages.find((m) => m.sid === sid)!;
  const webhook = [...conversation.webhooks.values()].find((w) => w.target === 'webhook' && w.url?.includes(executionSid) && w.filters.includes('onMessageAdded'));
  if (!webhook?.url) throw new Error(`execution ${executionSid} registered no onMessageAdded webhook on ${conversationSid}`);
  return {
    url: webhook.url,
    params: {
      EventType: 'onMessageAdded',
      AccountSid: stack.config.twilio.accountSid,
      ChatServiceSid: conversation.serviceSid,
      ConversationSid: conversationSid,
      MessageSid: message.sid,
      Index: String(message.index),
      Author: message.author,
      Body: message.body ?? '',
      Attributes: message.attributes,
      DateCreated: message.dateCreated.toISOString(),
      ParticipantSid: message.participantSid ?? '',
      Source: message.source,
      WebhookSid: webhook.sid,
      WebhookType: 'webhook',
    },
  };
}

/**
 * Posts one webhook until a 2xx answers it, at most `maxAttempts` times, holding one of `slots` only while a request
 * is out (as the emulator's dispatcher does). Each try is signed anew with twilio's own helper (its RetryCount
 * changes), waits out a 503's Retry-After, and gives up after {@link WEBHOOK_TIMEOUT_MS}. A 4xx is not retried.
 */
async function deliver(stack: ProcessStack, webhook: Webhook, slots: DeliverySlots, maxAttempts: number, record: (attempt: Attempt) => void): Promise<boolean> {
  const never = new AbortController().signal;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const params = { ...webhook.params, RetryCount: String(attempt) };
    await slots.acquire(never);
    const sent = performance.now();
    let answer: Answer;
    let retryAfterMs = 0;
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilio.getExpectedTwilioSignature(stack.config.twilio.authToken, webhook.url, params),
          'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
        },
        body: new URLSearchParams(params),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      answer = response.status;
      retryAfterMs = Math.min(MAX_RETRY_AFTER_MS, Number(response.headers.get('retry-after') ?? 0) * 1000 || 0);
    } catch (err) {
      answer = err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'error';
    } finally {
      slots.release();
    }
    record({ answer, ms: performance.now() - sent });
    if (typeof answer === 'number' && answer >= 200 && answer < 300) return true;
    if (typeof answer === 'number' && answer < 500) return false;
    if (retryAfterMs > 0) await sleep(retryAfterMs);
  }
  return false;
}

/** The same count of hand-written workflows waiting for a signal, signalled by a plain client with the same concurrency. */
async function bareBurst(stack: ProcessStack, options: Omit<BurstOptions, 'maxAttempts'>): Promise<Burst> {
  const { n, deadlineMs } = options;
  const name = 'bare Temporal (client.signal → waiting workflow)';
  const run = randomBytes(4).toString('hex');
  const ids = await runLimited(n, SETUP_IN_FLIGHT, async (i) => {
    const workflowId = `bench-wait-${run}-${i}`;
    await stack.client.workflow.start('waitForReplyWorkflow', { workflowId, taskQueue: stack.baselineTaskQueue, args: [{ timeoutSeconds: 3600 }] });
    return workflowId;
  });
  const query = (status: string) => `WorkflowType = 'waitForReplyWorkflow' AND ExecutionStatus = '${status}'`;
  await until(deadlineMs, async () => ((await stack.client.workflow.count(query('Running'))).count >= n ? true : undefined));
  await sleep(3_000); // their first workflow tasks run: they wait on the signal
  progress(name, `${n} waiting`);
  const attempts: Attempt[] = [];
  const burstAt = performance.now();
  const accepted = await runLimited(n, options.concurrency, async (i) => {
    const sent = performance.now();
    try {
      await stack.client.workflow.getHandle(ids[i]!).signal('turn', 'great');
      attempts.push({ answer: 200, ms: performance.now() - sent });
      return true;
    } catch {
      attempts.push({ answer: 'error', ms: performance.now() - sent });
      return false;
    }
  });
  const burstSeconds = (performance.now() - burstAt) / 1000;
  const acceptedCount = accepted.filter(Boolean).length;
  progress(name, `${acceptedCount} of ${n} signals accepted in ${burstSeconds.toFixed(1)} s`);
  await until(deadlineMs, async () => ((await stack.client.workflow.count(query('Completed'))).count >= n ? true : undefined));
  const completed = (await stack.client.workflow.count(query('Completed'))).count;
  return {
    name,
    acceptedPerSecond: acceptedCount / burstSeconds,
    accepted: acceptedCount,
    attempts,
    lost: n - completed,
    doubled: undefined, // one plain signal each, never retried: nothing to double
    stuck: (await stack.client.workflow.count(query('Running'))).count,
    seconds: burstSeconds,
  };
}

function report(options: { n: number; concurrency: number; maxAttempts: number }, ours: Burst, bare: Burst): void {
  const row = (burst: Burst) => {
    const sorted = burst.attempts.map((a) => a.ms).sort((a, b) => a - b);
    const count = (match: (answer: Answer) => boolean) => burst.attempts.filter((a) => match(a.answer)).length;
    return {
      '': burst.name,
      'accepted/s': burst.acceptedPerSecond,
      'answer p50 ms': percentile(sorted, 50),
      'p99 ms': percentile(sorted, 99),
      'HTTP 200': count((a) => a === 200),
      'HTTP 503': count((a) => a === 503),
      'HTTP 500': count((a) => a === 500),
      'other/timeout': count((a) => a !== 200 && a !== 503 && a !== 500),
      attempts: burst.attempts.length,
      accepted: `${burst.accepted}/${options.n}`,
      'lost/doubled/stuck': `${burst.lost}/${burst.doubled ?? '—'}/${burst.stuck}`,
    };
  };
  printTable(
    `bench:webhooks — a burst of ${options.n} replies, ${options.concurrency} in flight, ${cpus().length} CPUs, Temporal dev server (in-memory SQLite), separate processes`,
    [
      row(ours),
      row(bare),
      {
        '': 'ratio studio / bare',
        'accepted/s': ours.acceptedPerSecond / bare.acceptedPerSecond,
        'answer p50 ms': percentile(sortedMs(ours), 50) / percentile(sortedMs(bare), 50),
        'p99 ms': percentile(sortedMs(ours), 99) / percentile(sortedMs(bare), 99),
        'HTTP 200': '',
        'HTTP 503': '',
        'HTTP 500': '',
        'other/timeout': '',
        attempts: '',
        accepted: '',
        'lost/doubled/stuck': '',
      },
    ],
  );
  process.stdout.write(
    `\nAnswers are per attempt (a 503 is retried after its Retry-After, a 5xx or time-out at once, ${options.maxAttempts} attempts at most); ` +
      'accepted/s runs from the first webhook to the last one answered 2xx. Lost: the execution never thanked its contact; doubled: it did twice.\n' +
      'Target: no 500; a 503 only when Temporal cannot take the signal in time (counted in studio_webhooks{outcome="unavailable"}); 0 lost, 0 doubled.\n',
  );
}

function sortedMs(burst: Burst): number[] {
  return burst.attempts.map((a) => a.ms).sort((a, b) => a - b);
}

/** The lines of a Prometheus scrape whose name matches `pattern`. */
async function scrape(url: string, pattern: RegExp): Promise<string[]> {
  const text = await (await fetch(url)).text();
  return text.split('\n').filter((line) => pattern.test(line));
}

function progress(side: string, what: string): void {
  process.stderr.write(`bench:webhooks ${new Date().toISOString()} ${side}: ${what}\n`);
}

function contact(i: number): string {
  return `+1888${String(i).padStart(7, '0')}`;
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

/** Polls `check` every 500 ms until it answers, or `deadlineMs` passes (then undefined). */
async function until<T>(deadlineMs: number, check: () => T | undefined | Promise<T | undefined>): Promise<T | undefined> {
  const end = performance.now() + deadlineMs;
  for (;;) {
    const value = await check();
    if (value !== undefined || performance.now() > end) return value;
    await sleep(500);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

runBenchmark('bench:webhooks', main);
