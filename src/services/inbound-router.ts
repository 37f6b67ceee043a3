import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { ExecutionTrigger } from '../flow/execution-start';
import type { InboundMessage } from '../flow/effects';
import { ExecutionConflictError } from './store-errors';
import type { ExecutionCommands } from './execution-commands';
import { deliverReply, SIGNAL_DEADLINE_MS } from './reply-delivery';
import { withRequestDeadline } from './request-deadline';
import { ReplyRecords } from './reply-records';
import { REPLY_RECORD_OUTCOME } from '../workflows/contracts/reply-record';

/** What became of one inbound message (DESIGN.md §8). */
export type InboundOutcome =
  /** No execution of the flow was active for the contact: this message started one. */
  | { readonly kind: 'started'; readonly executionSid: string }
  /** The contact's active execution was signalled (it takes the message if a widget waits, else warns 81002). */
  | { readonly kind: 'delivered'; readonly executionSid: string }
  /** The message was taken before: it started this execution, or reached it as a reply (Twilio redelivered it). */
  | { readonly kind: 'duplicate'; readonly executionSid: string };

/** One inbound message and what an execution it starts is made of. */
export interface InboundDelivery {
  readonly flowSid: string;
  /** The routing key: the Messaging `From` (`whatsapp:` prefix kept) or the conversation SID. */
  readonly contact: string;
  /** The flow's side of the channel: the Messaging `To`, or the conversation SID. */
  readonly from: string;
  readonly message: InboundMessage;
  /** How an execution this message starts is triggered. */
  readonly trigger: ExecutionTrigger;
  /** How long the routing may take: within the webhook's timeout at Twilio (default {@link SIGNAL_DEADLINE_MS}). */
  readonly deadlineMs?: number;
}

/** Twilio waits 15 s for a Messaging webhook's answer; routing one gets 10 s, leaving room for the answer. */
export const MESSAGING_ROUTING_DEADLINE_MS = 10_000;

/** A holder that is still starting (its lock taken, its workflow not yet created) is looked at again after this. */
const STARTING_RECHECK_MS = 50;

/** The contact's execution is still starting after the routing's deadline: Twilio is asked to send it again. */
export class ExecutionStartingError extends Error {
  constructor(readonly flowSid: string, readonly contact: string) {
    super(`An execution of flow ${flowSid} for ${contact} is starting; the message was not taken, send it again`);
    this.name = 'ExecutionStartingError';
  }
}

/**
 * Studio's routing of inbound messages: one active execution per (flow, contact), through the same lock as REST
 * starts (ContactLocks), so it is race-free. The message starts an execution when the lock is free; when another
 * execution holds it, the message is handed to that one as a reply; when the holder is this message's own execution,
 * the message is a redelivery. Of 20 first messages arriving at once, one starts the execution and the others reach it.
 *
 * Exactly once under redelivery: the execution SID a message would start (`inboundExecutionSid`) is claimed either
 * by that execution or, for a reply, by a reply record (ReplyRecords) opened before the signal and closed after it.
 * A copy of the message arriving later, even after the holder ended, finds the ID taken and is a duplicate; one
 * arriving while a hand-off was cut short (the signal's outcome unknown) settles it from the holder's history.
 */
export class InboundRouter {
  private readonly records: ReplyRecords;

  constructor(
    private readonly temporal: Client,
    private readonly executions: ExecutionCommands,
    taskQueue: string,
  ) {
    this.records = new ReplyRecords(temporal, taskQueue);
  }

  /**
   * Routes within `deadlineMs` (Twilio's webhook timeout, less a margin); throws ExecutionStartingError when the
   * contact's execution is still being started by another request after that, and what the stores throw otherwise
   * (FlowNotFoundError, NoPublishedRevisionError, Temporal's unavailability).
   */
  async route(delivery: InboundDelivery): Promise<InboundOutcome> {
    const deadline = Date.now() + (delivery.deadlineMs ?? SIGNAL_DEADLINE_MS);
    // Every Temporal call of the routing keeps within its deadline (a stalled server answers DEADLINE_EXCEEDED: the
    // API's 503), so Twilio gets an answer before its webhook timeout.
    return withRequestDeadline(this.temporal, deadline, () => this.routeWithin(delivery, deadline));
  }

  private async routeWithin(delivery: InboundDelivery, deadline: number): Promise<InboundOutcome> {
    const { flowSid, contact, from, message, trigger } = delivery;
    const executionSid = inboundExecutionSid(flowSid, message.MessageSid);
    // Set when the ID's last run was just seen to be a record closed as not delivered: the next start may reuse it.
    let reuse = false;
    for (;;) {
      let next: Settled;
      try {
        await this.executions.start({ flowSid, to: contact, from, inbound: { trigger, sid: executionSid, reuseAfterUndelivered: reuse } });
        return { kind: 'started', executionSid };
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) {
          // The ID is taken: by the execution this message started (it may have ended), or by a reply record.
          next = await this.settle(executionSid, message);
        } else {
          if (!(err instanceof ExecutionConflictError)) throw err;
          const holder = err.activeSid;
          // Nothing to hand over to yet: the holder's execution is being started (or its start was cut short; a lock
          // whose execution never appears is freed after its grace). Look again.
          if (!holder || err.starting) next = 'again';
          // The contact's lock names this message's own execution, and it runs: a redelivery.
          else if (holder === executionSid) next = await this.settle(executionSid, message);
          else next = await this.handOver(executionSid, holder, message, reuse);
        }
      }
      if (typeof next !== 'string') return next;
      reuse = next === 'reusable';
      // The holder's workflow does not exist yet (another request is starting it) or has just ended, or the message
      // was not delivered and may start one now: look again.
      if (Date.now() + STARTING_RECHECK_MS > deadline) throw new ExecutionStartingError(flowSid, contact);
      if (!reuse) await sleep(STARTING_RECHECK_MS);
    }
  }

  /**
   * Hands the message to the contact's active execution `holder` under a reply record. A signal that fails leaves the
   * record open and throws (503): Twilio's retry settles it.
   */
  private async handOver(recordId: string, holder: string, message: InboundMessage, reuse: boolean): Promise<Settled> {
    const runId = await this.records.open(recordId, holder, message, reuse);
    if (!runId) return this.settle(recordId, message);
    return this.deliver({ recordId, runId, holderSid: holder }, message);
  }

  /**
   * What to answer when the message's execution SID is taken: a duplicate of the execution it started or of a reply
   * delivered before; an open record (a hand-off under way, or cut short) is finished here, idempotently (the
   * holder's history says whether its signal landed; a second signal is ignored by the execution).
   */
  private async settle(recordId: string, message: InboundMessage): Promise<Settled> {
    const record = await this.records.state(recordId);
    if (record.kind === 'none') return 'again';
    if (record.kind === 'execution') return { kind: 'duplicate', executionSid: recordId };
    if (record.kind === 'closed') return record.outcome === REPLY_RECORD_OUTCOME.delivered ? { kind: 'duplicate', executionSid: record.holderSid } : 'reusable';
    const open = { recordId, runId: record.runId, holderSid: record.holderSid };
    if (await this.records.holderReceived(record.holderSid, message.MessageSid)) return this.closeDelivered(open, 'duplicate');
    return this.deliver(open, message);
  }

  /**
   * Signals the record's holder and closes the record with the outcome. When the holder is gone its history is final:
   * a copy of this message handed over by another request may have landed there before it ended, and then the
   * message was delivered after all.
   */
  private async deliver(record: OpenRecord, message: InboundMessage): Promise<Settled> {
    if ((await deliverReply(this.temporal, record.holderSid, message)) === 'delivered') return this.closeDelivered(record, 'delivered');
    if (await this.records.holderReceived(record.holderSid, message.MessageSid)) return this.closeDelivered(record, 'duplicate');
    await this.records.close(record.recordId, record.runId, REPLY_RECORD_OUTCOME.notDelivered);
    return 'reusable';
  }

  private async closeDelivered(record: OpenRecord, kind: 'delivered' | 'duplicate'): Promise<InboundOutcome> {
    await this.records.close(record.recordId, record.runId, REPLY_RECORD_OUTCOME.delivered);
    return { kind, executionSid: record.holderSid };
  }
}

/** An open reply record: its workflow ID and run, and the execution the message is handed to. */
interface OpenRecord {
  readonly recordId: string;
  readonly runId: string;
  readonly holderSid: string;
}

/**
 * What settling a taken ID or a hand-off came to: the answer, or `again` (look again after a pause: nothing to
 * settle yet) or `reusable` (the message was not delivered: it may start its execution over the closed record now).
 */
type Settled = InboundOutcome | 'again' | 'reusable';

/**
 * The SID of the execution a message starts: `FN` + 32 hex digits of SHA-256 over the flow and the MessageSid. The
 * same message always names the same execution, and Temporal refuses a workflow ID twice, so a redelivered first
 * message cannot start a second execution, even after the first ended.
 */
export function inboundExecutionSid(flowSid: string, messageSid: string): string {
  return `FN${createHash('sha256').update(`${flowSid}/${messageSid}`).digest('hex').slice(0, 32)}`;
}
