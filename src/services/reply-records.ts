import { type Client, isGrpcServiceError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { InboundMessage } from '../flow/effects';
import { incomingMessageSignal } from '../workflows/contracts/execution-messages';
import { REPLY_RECORD_OUTCOME, type ReplyRecordOutcome } from '../workflows/contracts/reply-record';

/** gRPC's NOT_FOUND. */
const GRPC_NOT_FOUND = 5;
/** As long as a contact lock: a record a crash left open frees its ID by itself after this. */
const RECORD_LIFETIME = '30 days';

/** What the workflow ID a message would start an execution under holds now. */
export type ReplyRecordState =
  /** Nothing: the message was never routed (or Temporal's retention removed what it left). */
  | { readonly kind: 'none' }
  /** The execution the message started. */
  | { readonly kind: 'execution' }
  /** A record whose hand-off is under way, or was cut short (the API stopped, the signal's outcome unknown). */
  | { readonly kind: 'open'; readonly holderSid: string }
  /** A closed record: the message reached `holderSid`, or that holder was gone and the message was free to start one. */
  | { readonly kind: 'closed'; readonly holderSid: string; readonly outcome: ReplyRecordOutcome };

/**
 * Records of inbound messages handed to a contact's active execution as replies (see replyRecordWorkflow): with them
 * a redelivered reply is known as taken even after that execution ended, so it never starts a second execution.
 */
export class ReplyRecords {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /**
   * Opens the record `recordId` (the execution SID the message would start) for a hand-off to `holderSid`. Resolves
   * false when the ID is taken (a record or an execution; see {@link state}). `reuse`: the ID's last run may be a
   * record closed as not delivered (Temporal's ALLOW_DUPLICATE_FAILED_ONLY; a completed execution still refuses).
   */
  async open(recordId: string, holderSid: string, message: InboundMessage, reuse: boolean): Promise<boolean> {
    try {
      await this.client.workflow.start('replyRecordWorkflow', {
        workflowId: recordId,
        taskQueue: this.taskQueue,
        args: [],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: reuse ? 'ALLOW_DUPLICATE_FAILED_ONLY' : 'REJECT_DUPLICATE',
        startDelay: RECORD_LIFETIME,
        memo: { holder_sid: holderSid, message_sid: message.MessageSid },
        // What an operator sees in the Temporal UI's list: this never runs; it only keeps the message from starting one.
        staticSummary: `Reply record: message ${message.MessageSid} handed to execution ${holderSid}`,
      });
      return true;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw err;
    }
  }

  /** Closes an open record with the hand-off's outcome; one already closed (by a concurrent request) stays as it is. */
  async close(recordId: string, outcome: ReplyRecordOutcome): Promise<void> {
    try {
      await this.client.workflow.getHandle(recordId).terminate(outcome);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }

  /** What `recordId` holds: nothing, the execution the message started, or a record (open, or closed with its outcome). */
  async state(recordId: string): Promise<ReplyRecordState> {
    const handle = this.client.workflow.getHandle(recordId);
    let description;
    try {
      description = await handle.describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { kind: 'none' };
      throw err;
    }
    if (description.type !== 'replyRecordWorkflow') return { kind: 'execution' };
    const holderSid = String(description.memo?.holder_sid);
    if (description.status.name === 'RUNNING') return { kind: 'open', holderSid };
    // The reason is only in the record's history (two events: started, terminated).
    const history = await this.client.workflow.getHandle(recordId, description.runId).fetchHistory();
    const reason = history.events?.at(-1)?.workflowExecutionTerminatedEventAttributes?.reason;
    return { kind: 'closed', holderSid, outcome: reason === REPLY_RECORD_OUTCOME.notDelivered ? REPLY_RECORD_OUTCOME.notDelivered : REPLY_RECORD_OUTCOME.delivered };
  }

  /**
   * Whether `holderSid`'s history holds an incomingMessage signal carrying `messageSid`: the execution received it
   * (it took it or warned 81002). This settles a hand-off whose signal outcome was unknown; it reads the whole
   * history, so only that rare case asks.
   */
  async holderReceived(holderSid: string, messageSid: string): Promise<boolean> {
    let history;
    try {
      history = await this.client.workflow.getHandle(holderSid).fetchHistory();
    } catch (err) {
      // fetchHistory passes gRPC's NOT_FOUND through as it is (other calls wrap it as WorkflowNotFoundError).
      if (err instanceof WorkflowNotFoundError || (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND)) return false;
      throw err;
    }
    const converter = this.client.options.loadedDataConverter.payloadConverter;
    return (history.events ?? []).some((event) => {
      const signal = event.workflowExecutionSignaledEventAttributes;
      if (event.eventType !== temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED || signal?.signalName !== incomingMessageSignal.name) return false;
      const payload = signal.input?.payloads?.[0];
      return payload ? converter.fromPayload<InboundMessage>(payload)?.MessageSid === messageSid : false;
    });
  }
}
