import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { DeliverySlots } from '../../emulator/delivery-slots';
import type { ProcessStack } from './process-stack';
import { sleep, until } from './waiting';

/** Twilio gives a Conversations webhook 5 s to answer before it counts a time-out, a Messaging webhook 15 s. */
export const CONVERSATIONS_TIMEOUT_MS = 5_000;
export const MESSAGING_TIMEOUT_MS = 15_000;
/** The longest Retry-After this sender honours; a longer one is cut to it (a sender does not park a reply for long). */
const MAX_RETRY_AFTER_MS = 30_000;

/** Requests in flight from bench:webhooks while it sets up (starts, first texts, the contacts' messages): not the burst. */
export const SETUP_IN_FLIGHT = 32;

/** What every row of bench:webhooks is run with. */
export interface BurstOptions {
  readonly n: number;
  readonly concurrency: number;
  readonly maxAttempts: number;
  /** How long each phase may take before the benchmark gives up on it. */
  readonly deadlineMs: number;
}

/** One webhook as Twilio would post it: where, its fields, and how long Twilio waits for the answer. */
export interface Webhook {
  readonly url: string;
  readonly params: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** Conversations events count their tries in a `RetryCount` field; Messaging webhooks carry none. */
  readonly countsRetries: boolean;
}

/** What one attempt was answered: an HTTP status, or no answer within the time-out, or a broken connection. */
export type Answer = number | 'timeout' | 'error';

export interface Attempt {
  readonly answer: Answer;
  /** From the request sent to its answer (or its time-out), in milliseconds. */
  readonly ms: number;
}

/** What a burst brought: which webhooks a 2xx answered in the end, every attempt, and how long until the last 2xx. */
export interface BurstResult {
  readonly accepted: readonly boolean[];
  readonly attempts: readonly Attempt[];
  readonly seconds: number;
}

/**
 * Posts every webhook at once through `concurrency` slots, as Twilio's sender does (the emulator's dispatcher too):
 * each until a 2xx answers it, `maxAttempts` tries at most, signed with twilio's own helper and `authToken`.
 */
export async function sendBurst(webhooks: readonly Webhook[], options: { concurrency: number; maxAttempts: number; authToken: string }): Promise<BurstResult> {
  const slots = new DeliverySlots(options.concurrency);
  const attempts: Attempt[] = [];
  const startedAt = performance.now();
  let lastAccepted = startedAt;
  const accepted = await Promise.all(
    webhooks.map(async (webhook) => {
      const ok = await deliver(webhook, slots, options, (attempt) => attempts.push(attempt));
      if (ok) lastAccepted = Math.max(lastAccepted, performance.now());
      return ok;
    }),
  );
  return { accepted, attempts, seconds: (lastAccepted - startedAt) / 1000 };
}

/**
 * Posts one webhook until a 2xx answers it, at most `maxAttempts` times, holding a slot only while a request is out
 * (a webhook waiting to retry leaves room for the others). Each try is signed anew (a RetryCount changes), waits out
 * a 503's Retry-After, and gives up after the webhook's time-out; a 5xx or time-out is retried at once, a 4xx never.
 */
async function deliver(webhook: Webhook, slots: DeliverySlots, options: { maxAttempts: number; authToken: string }, record: (attempt: Attempt) => void): Promise<boolean> {
  const never = new AbortController().signal;
  for (let attempt = 0; attempt < options.maxAttempts; attempt++) {
    const params = webhook.countsRetries ? { ...webhook.params, RetryCount: String(attempt) } : webhook.params;
    await slots.acquire(never);
    const sent = performance.now();
    let answer: Answer;
    let retryAfterMs = 0;
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilio.getExpectedTwilioSignature(options.authToken, webhook.url, params),
          'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
        },
        body: new URLSearchParams(params),
        signal: AbortSignal.timeout(webhook.timeoutMs),
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

/** One row of bench:webhooks: a burst's answers, and whether every reply reached its execution exactly once. */
export interface Burst {
  readonly name: string;
  readonly acceptedPerSecond: number;
  readonly accepted: number;
  readonly attempts: readonly Attempt[];
  /** Executions that never took their reply (no next message by the deadline). */
  readonly lost: number;
  /** Executions that took it more than once (the next message twice); undefined where nothing is ever sent twice. */
  readonly doubled: number | undefined;
  /** Executions still running at the deadline. */
  readonly stuck: number;
}

/**
 * The row of a burst of the product's webhooks, once every execution should have sent its `expected` messages:
 * `sentCounts` holds how many each one sent (read after a pause, so a doubled one has time to arrive).
 */
export async function productBurst(
  stack: ProcessStack,
  row: { name: string; burst: BurstResult; accepted: number; deadlineMs: number; expected: number },
  sentCounts: () => readonly number[],
): Promise<Burst> {
  await sleep(3_000); // a doubled thank-you, if any, has time to arrive
  const counts = sentCounts();
  return {
    name: row.name,
    acceptedPerSecond: row.accepted / row.burst.seconds,
    accepted: row.accepted,
    attempts: row.burst.attempts,
    lost: counts.filter((c) => c < row.expected).length,
    doubled: counts.filter((c) => c > row.expected).length,
    stuck: await runningExecutionsAfter(stack, row.deadlineMs),
  };
}

/** A line on stderr as each phase ends, so a run cut short still says how far it got. */
export function progress(row: string, what: string): void {
  process.stderr.write(`bench:webhooks ${new Date().toISOString()} ${row}: ${what}\n`);
}

/** Executions still running once every one should have ended, polled until none is or the deadline passes. */
export async function runningExecutionsAfter(stack: ProcessStack, deadlineMs: number): Promise<number> {
  const running = async () => (await stack.client.workflow.count(`WorkflowType = 'executionWorkflow' AND ExecutionStatus = 'Running'`)).count;
  await until(deadlineMs, async () => ((await running()) === 0 ? true : undefined));
  return running();
}
