import { randomBytes } from 'node:crypto';
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import type { JsonObject } from '../flow/context';
import type { ExecutionTrigger } from '../flow/execution-start';
import { twilioDate } from '../flow/dates';
import {
  endExecutionUpdate,
  type ExecutionInput,
  type ExecutionView,
  getExecutionQuery,
  prepareDeletionUpdate,
} from '../workflows/contracts/execution-messages';
import { type ExecutionMemo, executionStartAttributes } from '../workflows/contracts/execution-memo';
import type { executionWorkflow } from '../workflows/execution/execution-workflow';
import { startingView } from '../workflows/contracts/execution-views';
import { ContactLocks } from './contact-locks';
import { ExecutionEndedError, ExecutionNotFoundError, NoPublishedRevisionError, WorkerUnavailableError } from './store-errors';
import type { FlowStore } from './flow-store';
import { memoView, type StuckTask, stuckTaskOf, stuckTerminationReason } from './stuck-executions';
import { isDeadlineExceeded, type WorkerLiveness } from './worker-liveness';
import { readWithin } from './query-deadlines';

export interface StartExecutionOptions {
  readonly flowSid: string;
  /** The contact (REST `To`). */
  readonly to: string;
  /** The Twilio-side address (REST `From`). */
  readonly from: string;
  readonly parameters?: JsonObject;
  /**
   * An execution started by an inbound message (DESIGN.md §8): its trigger, the contact whose lock it takes (the
   * Messaging `From`, or the conversation SID), and its SID, derived from the message so that a redelivered first
   * message can never start a second execution (Temporal refuses a workflow ID it has seen).
   */
  readonly inbound?: {
    readonly trigger: ExecutionTrigger;
    readonly sid: string;
    /** The SID's last run is a reply record closed as not delivered (see ReplyRecords): the start may reuse the ID. */
    readonly reuseAfterUndelivered?: boolean;
  };
}

/** How long Status=ended waits for the execution to run its cleanup and end before answering 503. */
const UPDATE_TIMEOUT_MS = 10_000;
/** How long DELETE lets an active execution run its cleanup before removing it regardless. */
const END_BEFORE_DELETE_MS = 10_000;

/** Executions: one workflow each (workflow ID = execution SID), one active per (flow, contact). */
export class ExecutionCommands {
  private readonly locks: ContactLocks;

  /**
   * With `liveness` (the API's), starts and reads fail fast with WorkerUnavailableError when no worker runs.
   * `timezone` (config STUDIO_TIMEZONE) goes into each new execution's input, which pins it; without it the workflow
   * takes Studio's America/Los_Angeles.
   */
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly flows: FlowStore,
    private readonly liveness?: WorkerLiveness,
    private readonly timezone?: string,
  ) {
    this.locks = new ContactLocks(client, taskQueue);
  }

  /**
   * Starts an execution of the flow's latest published revision, pinned, once the contact's lock is taken (see
   * ContactLocks): of two concurrent starts for one contact exactly one succeeds.
   */
  async start(options: StartExecutionOptions): Promise<ExecutionView> {
    // No worker check: Temporal keeps a started execution until a worker runs it, so a start during a worker restart
    // (a deploy, a crash) is accepted and loses nothing. Only a revision the API has never read needs a worker.
    const published = await this.flows.latestPublished(options.flowSid);
    if (!published) throw new NoPublishedRevisionError(options.flowSid);
    const executionSid = options.inbound?.sid ?? `FN${randomBytes(16).toString('hex')}`;
    await this.locks.acquire(options.flowSid, options.to, executionSid);
    // Only the fields ExecutionInput names: whatever else a caller's options carry stays out of every history.
    const input: ExecutionInput = {
      flowSid: options.flowSid,
      to: options.to,
      from: options.from,
      parameters: options.parameters ?? {},
      definition: published.definition,
      flowRevision: published.revision,
      flowName: published.friendly_name,
      ...(this.timezone ? { timezone: this.timezone } : {}),
      ...(options.inbound ? { trigger: options.inbound.trigger } : {}),
    };
    const dateCreated = twilioDate(new Date());
    try {
      await this.client.workflow.start<typeof executionWorkflow>('executionWorkflow', {
        workflowId: executionSid,
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        // ALLOW_DUPLICATE_FAILED_ONLY after an undelivered reply record (terminated); a completed execution still refuses.
        ...(options.inbound ? { workflowIdReusePolicy: options.inbound.reuseAfterUndelivered ? ('ALLOW_DUPLICATE_FAILED_ONLY' as const) : ('REJECT_DUPLICATE' as const) } : {}),
        ...executionStartAttributes(input, dateCreated),
      });
    } catch (err) {
      await this.locks.release(options.flowSid, options.to, executionSid);
      throw err;
    }
    // As Studio answers a create: the execution as it starts, with an empty context (reads show it as it runs).
    return startingView(executionSid, input, dateCreated);
  }

  /** The execution's current view; works for active and ended executions alike. */
  async get(flowSid: string, sid: string): Promise<ExecutionView> {
    return (await this.inspect(flowSid, sid)).record;
  }

  /**
   * The execution's view and, when its workflow task keeps failing, that task (see stuckTaskOf): no worker can answer
   * for such an execution, so its view is what the server's memo says (active, empty context) instead of a read that
   * would wait out its deadline.
   */
  async inspect(flowSid: string, sid: string): Promise<{ record: ExecutionView; stuck?: StuckTask }> {
    const handle = this.client.workflow.getHandle(sid);
    const description = await handle.describe().catch((err: unknown) => {
      throw err instanceof WorkflowNotFoundError ? new ExecutionNotFoundError(flowSid, sid) : err;
    });
    if (description.type !== 'executionWorkflow') throw new ExecutionNotFoundError(flowSid, sid);
    const memo = description.memo?.execution as ExecutionMemo | undefined;
    if (memo && memo.flow_sid !== flowSid) throw new ExecutionNotFoundError(flowSid, sid);
    const stuck = await stuckTaskOf(this.client, description);
    if (stuck && memo) return { record: memoView(sid, memo), stuck };
    const running = description.status.name === 'RUNNING';
    const view = await readWithin(this.client, `execution ${sid}`, () => handle.query(getExecutionQuery), this.liveness).catch((err: unknown) => {
      // An ended execution whose history no worker can replay (one terminated while stuck) reads as its memo says.
      if (running || !memo || err instanceof WorkerUnavailableError) throw err;
      return memoView(sid, memo, description.closeTime ?? new Date());
    });
    if (!view || view.flowSid !== flowSid) throw new ExecutionNotFoundError(flowSid, sid);
    return { record: running ? view : { ...view, status: 'ended' } };
  }

  /**
   * Status=ended: the execution runs its cleanup, then ends; resolves with its final view. One whose workflow task
   * keeps failing cannot run anything: it is terminated with a reason that says so, and its contact is freed.
   */
  async end(flowSid: string, sid: string): Promise<ExecutionView> {
    const { record, stuck } = await this.inspect(flowSid, sid);
    if (record.status === 'ended') throw new ExecutionEndedError(sid);
    if (stuck) return this.terminateStuck(record, stuck);
    let ended: ExecutionView;
    try {
      ended = await this.client.connection.withDeadline(Date.now() + UPDATE_TIMEOUT_MS, () =>
        this.client.workflow.getHandle(sid).executeUpdate(endExecutionUpdate),
      );
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError) throw new ExecutionEndedError(sid);
      if (!(err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) && !isDeadlineExceeded(err)) throw err;
      // The update was taken but not answered: its workflow task may have started failing meanwhile.
      const stuckNow = await stuckTaskOf(this.client, await this.client.workflow.getHandle(sid).describe());
      if (stuckNow) return this.terminateStuck(record, stuckNow);
      throw new WorkerUnavailableError(`execution ${sid}`);
    }
    await this.locks.release(flowSid, ended.contactAddress, sid);
    return ended;
  }

  private async terminateStuck(record: ExecutionView, stuck: StuckTask): Promise<ExecutionView> {
    await this.client.workflow.getHandle(record.sid).terminate(stuckTerminationReason(stuck));
    await this.locks.release(record.flowSid, record.contactAddress, record.sid);
    return { ...record, status: 'ended', dateUpdated: twilioDate(new Date()) };
  }

  /**
   * Removes an execution and its history. An active one first ends (its cleanup runs) while its workflow stays open,
   * so the removal is immediate. An ended one is removed by the Temporal server in the background, usually within
   * a minute; until then it still reads back.
   */
  async delete(flowSid: string, sid: string): Promise<void> {
    const { record: current, stuck } = await this.inspect(flowSid, sid);
    // A stuck execution cannot run its cleanup (see stuckTerminationReason): it is removed as it is.
    if (current.status === 'active' && !stuck) {
      await this.client.connection
        .withDeadline(Date.now() + END_BEFORE_DELETE_MS, () => this.client.workflow.getHandle(sid).executeUpdate(prepareDeletionUpdate))
        .catch(() => undefined); // a stuck cleanup must not block the deletion, which terminates the workflow
    }
    await this.client.workflowService.deleteWorkflowExecution({ namespace: this.client.options.namespace, workflowExecution: { workflowId: sid } });
    await this.locks.release(flowSid, current.contactAddress, sid);
  }
}
