import { type Client, isGrpcServiceError, ServiceError, WorkflowNotFoundError } from '@temporalio/client';
import type { InboundMessage } from '../flow/effects';
import { incomingMessageSignal } from '../workflows/contracts/execution-messages';
import { deadlineIn } from './request-deadline';

/** Twilio gives a webhook 5 s (its webhook timeout); the signal must land, or be given up, well within that. */
export const SIGNAL_DEADLINE_MS = 4_000;

/** What became of one attempt to hand a reply to its execution. */
export type ReplyDelivery = 'delivered' | 'no_execution';

/**
 * Signals the reply to its execution (workflow ID = execution SID), giving Temporal {@link SIGNAL_DEADLINE_MS}, or
 * what is left of the request's deadline (withRequestDeadline) when that comes first.
 * The execution takes each MessageSid once, so delivering the same reply again is harmless. Resolves `no_execution`
 * when there is no running workflow of that ID; throws what Temporal threw otherwise (see
 * {@link isTemporalUnavailable}).
 */
export async function deliverReply(temporal: Client, executionSid: string, message: InboundMessage): Promise<ReplyDelivery> {
  try {
    await temporal.connection.withDeadline(deadlineIn(SIGNAL_DEADLINE_MS), () =>
      temporal.workflow.getHandle(executionSid).signal(incomingMessageSignal, message),
    );
    return 'delivered';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'no_execution';
    throw err;
  }
}

/**
 * gRPC statuses that say the request itself is wrong (Temporal refused it for good: a payload over its limit, a
 * namespace it does not know, credentials it rejects); sending it again cannot help. Every other failure (the
 * server down or restarting, a deadline, overload) may pass later.
 */
export const REFUSED_GRPC_STATUSES: ReadonlySet<number> = new Set([
  3, // INVALID_ARGUMENT
  5, // NOT_FOUND (a namespace; a missing workflow is WorkflowNotFoundError)
  6, // ALREADY_EXISTS
  7, // PERMISSION_DENIED
  9, // FAILED_PRECONDITION
  11, // OUT_OF_RANGE
  12, // UNIMPLEMENTED
  16, // UNAUTHENTICATED
]);

/** True when Temporal could not take the call now but may later (down, restarting, overloaded, past the deadline). */
export function isTemporalUnavailable(err: unknown): boolean {
  const cause = err instanceof ServiceError ? err.cause : err;
  if (isGrpcServiceError(cause)) return !REFUSED_GRPC_STATUSES.has(cause.code);
  return err instanceof ServiceError;
}

/** For the log line: the client's message and what gRPC said underneath (`14 UNAVAILABLE: No connection established…`). */
export function temporalFailureText(err: unknown): string {
  const cause = err instanceof ServiceError ? err.cause : undefined;
  const message = err instanceof Error ? err.message : String(err);
  return cause instanceof Error && cause.message !== message ? `${message}: ${cause.message}` : message;
}
