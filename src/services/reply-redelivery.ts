import type { MetricMeter } from '@temporalio/common';
import type { InboundMessage } from '../flow/effects';
import type { Logger } from '../logger';
import { isTemporalUnavailable, type ReplyDelivery, temporalFailureText } from './reply-delivery';

/** How the API keeps and retries the replies Temporal could not take. */
export interface RedeliveryOptions {
  /** Replies kept at most; when full, the oldest is dropped for a new one. */
  readonly maxEntries: number;
  /** A reply older than this (milliseconds since the webhook first came) is dropped unsent. */
  readonly maxAgeMs: number;
  /** Wait after the first failed try; doubles per failure up to `maxBackoffMs`. */
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

/**
 * 1,000 replies is far more than a 30 s outage brings (one webhook per reply), and a few hundred kilobytes at most.
 * An hour matches Studio's default reply timeout: a reply kept longer would reach a widget that gave up on it; the
 * execution's own catch-up read finds it then anyway (src/workflows/execution/reply-catch-up.ts).
 */
export const DEFAULT_REDELIVERY: RedeliveryOptions = { maxEntries: 1_000, maxAgeMs: 3_600_000, initialBackoffMs: 1_000, maxBackoffMs: 30_000 };

interface Entry {
  readonly key: string;
  readonly executionSid: string;
  readonly message: InboundMessage;
  readonly since: number;
}

type Deliver = (executionSid: string, message: InboundMessage) => Promise<ReplyDelivery>;

/**
 * The API's in-memory queue of replies whose signal Temporal could not take (server down or restarting): it retries
 * them, oldest first and one at a time, each with the signal deadline, backing off while Temporal stays away. The
 * webhook was answered 503, so Twilio retries too; the execution takes each MessageSid once, so whichever lands
 * second is ignored. Bounded in count and age; every reply dropped unsent is counted
 * (`studio_reply_redeliveries{outcome="dropped_*"}`) and logged. It lives and dies with the API process: after a
 * restart, the executions' own catch-up read recovers what it held.
 */
export class ReplyRedelivery {
  private readonly entries = new Map<string, Entry>();
  private readonly outcomes;
  private readonly queued;
  private backoffMs: number;
  private timer?: NodeJS.Timeout;
  private due = 0;
  private running = false;
  private inFlight?: Promise<unknown>;
  private stopped = false;

  constructor(
    private readonly deliver: Deliver,
    private readonly logger: Logger,
    meter: MetricMeter,
    private readonly options: RedeliveryOptions = DEFAULT_REDELIVERY,
  ) {
    this.outcomes = meter.createCounter('studio_reply_redeliveries', 'replies', 'Replies the API retried after Temporal refused their webhook, by outcome');
    this.queued = meter.createGauge('studio_reply_redelivery_queue', 'int', 'replies', 'Replies waiting for Temporal to take them again');
    this.backoffMs = options.initialBackoffMs;
  }

  /** Replies waiting. */
  get size(): number {
    return this.entries.size;
  }

  /** Keeps a reply Temporal did not take, to retry after the current backoff; a repeat of a kept reply changes nothing. */
  add(executionSid: string, message: InboundMessage): void {
    if (this.stopped) return;
    const key = `${executionSid}/${message.MessageSid}`;
    if (this.entries.has(key)) return;
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.values().next().value!;
      this.drop(oldest, 'dropped_full', `the redelivery queue holds ${this.options.maxEntries} replies`);
    }
    this.entries.set(key, { key, executionSid, message, since: Date.now() });
    this.queued.set(this.entries.size);
    this.schedule(this.backoffMs);
  }

  /** Temporal answered again (a webhook's signal landed): retry now rather than after the backoff. */
  resume(): void {
    if (this.entries.size === 0 || this.running) return;
    this.backoffMs = this.options.initialBackoffMs;
    this.schedule(0);
  }

  /**
   * At shutdown: no more tries; what is still held is dropped (and counted, and logged). Resolves with how many once
   * a try in flight has ended (within the signal deadline), so the Temporal connection can then be closed: gRPC
   * throws from a retry that outlives its channel.
   */
  async stop(): Promise<number> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.inFlight;
    const left = [...this.entries.values()];
    for (const entry of left) this.drop(entry, 'dropped_shutdown', 'the API is shutting down');
    return left.length;
  }

  /** A try after `delayMs`; a try already due sooner stands (new replies must not keep postponing it). */
  private schedule(delayMs: number): void {
    if (this.running || this.stopped) return;
    const due = Date.now() + delayMs;
    if (this.timer && this.due <= due) return;
    clearTimeout(this.timer);
    this.due = due;
    // Unref'd: a pending retry never keeps the process alive; stop() accounts for what is left.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delayMs).unref();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      for (let entry = this.first(); entry && !this.stopped; entry = this.first()) {
        if (Date.now() - entry.since > this.options.maxAgeMs) {
          this.drop(entry, 'dropped_expired', `it waited longer than ${this.options.maxAgeMs} ms`);
          continue;
        }
        if (!(await this.attempt(entry))) return this.backOff();
      }
    } finally {
      this.running = false;
    }
    this.backoffMs = this.options.initialBackoffMs;
  }

  /** One try; false when Temporal is still unavailable (the entry stays, first in line). */
  private async attempt(entry: Entry): Promise<boolean> {
    const { executionSid, message } = entry;
    const fields = { executionSid, messageSid: message.MessageSid };
    try {
      const delivery = this.deliver(executionSid, message);
      this.inFlight = delivery.catch(() => undefined);
      const result = await delivery;
      this.remove(entry);
      this.outcomes.add(1, { outcome: result === 'delivered' ? 'delivered' : 'ignored_no_execution' });
      this.logger.info(result === 'delivered' ? 'reply redelivered to its execution' : 'reply redelivery found no active execution', fields);
      return true;
    } catch (err) {
      if (isTemporalUnavailable(err)) return false;
      this.drop(entry, 'dropped_refused', `Temporal refused it: ${temporalFailureText(err)}`);
      return true;
    }
  }

  private backOff(): void {
    this.running = false;
    this.schedule(this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs);
  }

  private first(): Entry | undefined {
    return this.entries.values().next().value;
  }

  private drop(entry: Entry, outcome: string, reason: string): void {
    this.remove(entry);
    this.outcomes.add(1, { outcome });
    this.logger.warn(`reply dropped unsent: ${reason}`, { executionSid: entry.executionSid, messageSid: entry.message.MessageSid, outcome });
  }

  private remove(entry: Entry): void {
    this.entries.delete(entry.key);
    this.queued.set(this.entries.size);
  }
}
