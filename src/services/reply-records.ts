import { type Client, isGrpcServiceError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { InboundMessage } from '../flow/effects';
import { incomingMessageSignal } from '../workflows/contracts/execution-messages';
import { REPLY_RECORD_OUTCOME, type ReplyRecordOutcome } from '../workflows/contracts/reply-record';

/** gRPC's NOT_FOUND (fetchHistory passes it through as it is; other calls wrap it as WorkflowNotFoundError). */
const GRPC_NOT_FOUND = 5;
/** A bound on the runs of one execution's chain read for a signal (each run holds up to a few thousand events). */
const MAX_RUNS_READ = 50;
/** As long as a contact lock: a record a crash left open frees its ID by itself after this. */
const RECORD_LIFETIME = '30 days';

/** What the workflow ID a message would start an execution under holds now. */
export type ReplyRecordState =
  /** Nothing: the message was never routed (or Temporal's retention removed what it left). */
  | { readonly kind: 'none' }
  /** The execution the message started. */
  | { readonly kind: 'execution' }
  /** A record whose hand-off is under way, or was cut short (the API stopped, the signal's outcome unknown). */
  | { readonly kind: 'open'; readonly runId: string; readonly holderSid: string }
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
   * Opens the record `recordId` (the execution SID the message would start) for a hand-off to `holderSid`; resolves
   * its run ID, or undefined when the ID is taken (a record or an execution; see {@link state}). `reuse`: the ID's last run may be a
   * record closed as not delivered (Temporal's ALLOW_DUPLICATE_FAILED_ONLY; a completed execution still refuses).
   */
  async open(recordId: string, holderSid: string, message: InboundMessage, reuse: boolean): Promise<string | undefined> {
    try {
      const handle = await this.client.workflow.start('replyRecordWorkflow', {
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
      return handle.firstExecutionRunId;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return undefined;
      throw err;
    }
  }

  /**
   * Closes the open record run `runId` with the hand-off's outcome; one already closed (by a concurrent request) stays
   * as it is. The run is named so that an execution started under the same ID since is never the one terminated.
   */
  async close(recordId: string, runId: string, outcome: ReplyRecordOutcome): Promise<void> {
    try {
      await this.client.workflow.getHandle(recordId, runId).terminate(outcome);
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
    if (description.status.name === 'RUNNING') return { kind: 'open', runId: description.runId, holderSid };
    // The reason is only in the record's history (two events: started, terminated).
    const history = await this.client.workflow.getHandle(recordId, description.runId).fetchHistory();
    const reason = history.events?.at(-1)?.workflowExecutionTerminatedEventAttributes?.reason;
    return { kind: 'closed', holderSid, outcome: reason === REPLY_RECORD_OUTCOME.notDelivered ? REPLY_RECORD_OUTCOME.notDelivered : REPLY_RECORD_OUTCOME.delivered };
  }

  /**
   * Whether `holderSid`'s history holds an incomingMessage signal carrying `messageSid`: the execution received it
   * (it took it or warned 81002). Every run of its chain is read (an execution continues as new when its history grows
   * long), from the first. This settles a hand-off whose signal outcome was unknown; it reads whole histories, so only
   * that rare case asks.
   */
  async holderReceived(holderSid: string, messageSid: string): Promise<boolean> {
    let latest;
    try {
      latest = await this.client.workflow.getHandle(holderSid).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
    const converter = this.client.options.loadedDataConverter.payloadConverter;
    let runId: string | undefined = latest.raw.workflowExecutionInfo?.firstRunId || latest.runId;
    for (let runs = 0; runId && runs < MAX_RUNS_READ; runs++) {
      // An earlier run that the namespace's retention has removed: what is left to read is the latest run.
      const history: temporal.api.history.v1.IHistory = await this.client.workflow
        .getHandle(holderSid, runId)
        .fetchHistory()
        .catch((err: unknown) => {
          if (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND && runId !== latest.runId) return this.client.workflow.getHandle(holderSid, latest.runId).fetchHistory();
          throw err;
        });
      runId = undefined;
      for (const event of history.events ?? []) {
        const signal = event.workflowExecutionSignaledEventAttributes;
        if (event.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED && signal?.signalName === incomingMessageSignal.name) {
          const payload = signal.input?.payloads?.[0];
          if (payload && converter.fromPayload<InboundMessage>(payload)?.MessageSid === messageSid) return true;
        }
        runId = event.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? runId;
      }
    }
    return false;
  }
}
