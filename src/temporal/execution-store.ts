import { randomBytes } from 'node:crypto';
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { JsonObject } from '../flow/context';
import { twilioDate } from '../flow/dates';
import {
  endExecutionUpdate,
  type ExecutionInput,
  type ExecutionView,
  getExecutionQuery,
  prepareDeletionUpdate,
} from '../workflows/execution/execution-messages';
import { executionStartAttributes } from '../workflows/execution/execution-memo';
import type { executionWorkflow } from '../workflows/execution/execution-workflow';
import { startingView } from '../workflows/execution/execution-views';
import { ContactLocks } from './contact-locks';
import { ExecutionEndedError, ExecutionNotFoundError, NoPublishedRevisionError } from './errors';
import type { FlowStore } from './flow-store';
import type { WorkerLiveness } from './worker-liveness';
import { readWithin } from './worker-reads';

export interface StartExecutionOptions {
  readonly flowSid: string;
  /** The contact (REST `To`). */
  readonly to: string;
  /** The Twilio-side address (REST `From`). */
  readonly from: string;
  readonly parameters?: JsonObject;
}

/** An execution as the API shows it: the workflow's own view, with `active` only while the workflow runs. */
export type ExecutionRecord = ExecutionView;

/** How long DELETE lets an active execution run its cleanup before removing it regardless. */
const END_BEFORE_DELETE_MS = 10_000;

/** Executions: one workflow each (workflow ID = execution SID), one active per (flow, contact). */
export class ExecutionStore {
  private readonly locks: ContactLocks;

  /** With `liveness` (the API's), starts and reads fail fast with WorkerUnavailableError when no worker runs. */
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly flows: FlowStore,
    private readonly liveness?: WorkerLiveness,
  ) {
    this.locks = new ContactLocks(client, taskQueue);
  }

  /**
   * Starts an execution of the flow's latest published revision, pinned, once the contact's lock is taken (see
   * ContactLocks): of two concurrent starts for one contact exactly one succeeds.
   */
  async start(options: StartExecutionOptions): Promise<ExecutionRecord> {
    // Nothing would run it: refuse now rather than leave the contact locked by an execution that does not move.
    await this.liveness?.assertAlive(`a new execution of ${options.flowSid}`);
    const published = await this.flows.latestPublished(options.flowSid);
    if (!published) throw new NoPublishedRevisionError(options.flowSid);
    const executionSid = `FN${randomBytes(16).toString('hex')}`;
    await this.locks.acquire(options.flowSid, options.to, executionSid);
    const input: ExecutionInput = {
      ...options,
      parameters: options.parameters ?? {},
      definition: published.definition,
      flowRevision: published.revision,
      flowName: published.friendly_name,
    };
    const dateCreated = twilioDate(new Date());
    try {
      await this.client.workflow.start<typeof executionWorkflow>('executionWorkflow', {
        workflowId: executionSid,
        taskQueue: this.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
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
  async get(flowSid: string, sid: string): Promise<ExecutionRecord> {
    const handle = this.client.workflow.getHandle(sid);
    const description = await handle.describe().catch((err: unknown) => {
      throw err instanceof WorkflowNotFoundError ? new ExecutionNotFoundError(flowSid, sid) : err;
    });
    if (description.type !== 'executionWorkflow') throw new ExecutionNotFoundError(flowSid, sid);
    const view = await readWithin(this.client, `execution ${sid}`, () => handle.query(getExecutionQuery), this.liveness);
    if (!view || view.flowSid !== flowSid) throw new ExecutionNotFoundError(flowSid, sid);
    return description.status.name === 'RUNNING' ? view : { ...view, status: 'ended' };
  }

  /** Status=ended: the execution runs its cleanup, then ends; resolves with its final view. */
  async end(flowSid: string, sid: string): Promise<ExecutionRecord> {
    const current = await this.get(flowSid, sid);
    if (current.status === 'ended') throw new ExecutionEndedError(sid);
    let ended: ExecutionRecord;
    try {
      ended = await this.client.workflow.getHandle(sid).executeUpdate(endExecutionUpdate);
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError) throw new ExecutionEndedError(sid);
      throw err;
    }
    await this.locks.release(flowSid, ended.contactAddress, sid);
    return ended;
  }

  /**
   * Removes an execution and its history. An active one first ends (its cleanup runs) while its workflow stays open,
   * so the removal is immediate. An ended one is removed by the Temporal server in the background, usually within
   * a minute; until then it still reads back.
   */
  async delete(flowSid: string, sid: string): Promise<void> {
    const current = await this.get(flowSid, sid);
    if (current.status === 'active') {
      await this.client.connection
        .withDeadline(Date.now() + END_BEFORE_DELETE_MS, () => this.client.workflow.getHandle(sid).executeUpdate(prepareDeletionUpdate))
        .catch(() => undefined); // a stuck cleanup must not block the deletion, which terminates the workflow
    }
    await this.client.workflowService.deleteWorkflowExecution({ namespace: this.client.options.namespace, workflowExecution: { workflowId: sid } });
    await this.locks.release(flowSid, current.contactAddress, sid);
  }
}
