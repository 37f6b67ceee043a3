import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { ExecutionTrigger } from '../flow/execution-start';
import type { InboundMessage } from '../flow/effects';
import { ExecutionConflictError } from './store-errors';
import type { ExecutionCommands } from './execution-commands';
import { deliverReply, SIGNAL_DEADLINE_MS } from './reply-delivery';

/** What became of one inbound message (DESIGN.md §8). */
export type InboundOutcome =
  /** No execution of the flow was active for the contact: this message started one. */
  | { readonly kind: 'started'; readonly executionSid: string }
  /** The contact's active execution was signalled (it takes the message if a widget waits, else warns 81002). */
  | { readonly kind: 'delivered'; readonly executionSid: string }
  /** The message was taken before: it started this execution (Twilio redelivered it). */
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
 * execution holds it, the message is signalled to that one; when the holder is this message's own execution, the
 * message is a redelivery. Of 20 first messages arriving at once, one starts the execution and the others reach it.
 */
export class InboundRouter {
  constructor(
    private readonly temporal: Client,
    private readonly executions: ExecutionCommands,
  ) {}

  /**
   * Routes within `deadlineMs` (Twilio's webhook timeout, less a margin); throws ExecutionStartingError when the
   * contact's execution is still being started by another request after that, and what the stores throw otherwise
   * (FlowNotFoundError, NoPublishedRevisionError, Temporal's unavailability).
   */
  async route(delivery: InboundDelivery): Promise<InboundOutcome> {
    const { flowSid, contact, from, message, trigger } = delivery;
    const executionSid = inboundExecutionSid(flowSid, message.MessageSid);
    const deadline = Date.now() + (delivery.deadlineMs ?? SIGNAL_DEADLINE_MS);
    for (;;) {
      try {
        await this.executions.start({ flowSid, to: contact, from, inbound: { trigger, sid: executionSid } });
        return { kind: 'started', executionSid };
      } catch (err) {
        // An execution this message started already ended: Temporal keeps its ID, so the message is never taken twice.
        if (err instanceof WorkflowExecutionAlreadyStartedError) return { kind: 'duplicate', executionSid };
        if (!(err instanceof ExecutionConflictError)) throw err;
        const holder = err.activeSid;
        if (holder === executionSid) return { kind: 'duplicate', executionSid };
        if (holder && (await deliverReply(this.temporal, holder, message)) === 'delivered') return { kind: 'delivered', executionSid: holder };
      }
      // The holder's workflow does not exist yet (another request is starting it) or has just ended: look again.
      if (Date.now() + STARTING_RECHECK_MS > deadline) throw new ExecutionStartingError(flowSid, contact);
      await sleep(STARTING_RECHECK_MS);
    }
  }
}

/**
 * The SID of the execution a message starts: `FN` + 32 hex digits of SHA-256 over the flow and the MessageSid. The
 * same message always names the same execution, and Temporal refuses a workflow ID twice, so a redelivered first
 * message cannot start a second execution, even after the first ended.
 */
export function inboundExecutionSid(flowSid: string, messageSid: string): string {
  return `FN${createHash('sha256').update(`${flowSid}/${messageSid}`).digest('hex').slice(0, 32)}`;
}
