import { randomBytes } from 'node:crypto';
import {
  type Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { JsonObject } from '../flow/context';
import {
  activeExecutionQuery,
  contactSlotId,
  type contactSlotWorkflow,
  startSlotExecutionUpdate,
} from '../workflows/execution/contact-slot-workflow';
import {
  endExecutionUpdate,
  type ExecutionView,
  getExecutionQuery,
  prepareDeletionUpdate,
} from '../workflows/execution/execution-messages';
import { ExecutionConflictError, ExecutionEndedError, ExecutionNotFoundError, NoPublishedRevisionError } from './errors';
import type { FlowStore } from './flow-store';
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

/** Executions: one workflow each (workflow ID = execution SID), started through the flow-and-contact slot. */
export class ExecutionStore {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly flows: FlowStore,
  ) {}

  /**
   * Starts an execution of the flow's latest published revision, pinned. Race-free: the slot workflow for (flow,
   * contact) is started with conflict policy FAIL, so of two concurrent starts exactly one succeeds.
   */
  async start(options: StartExecutionOptions): Promise<ExecutionRecord> {
    const published = await this.flows.latestPublished(options.flowSid);
    if (!published) throw new NoPublishedRevisionError(options.flowSid);
    const executionSid = `FN${randomBytes(16).toString('hex')}`;
    const slotId = contactSlotId(options.flowSid, options.to);
    const input = { ...options, parameters: options.parameters ?? {}, definition: published.definition, flowRevision: published.revision };
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof contactSlotWorkflow>('contactSlotWorkflow', {
      workflowId: slotId,
      taskQueue: this.taskQueue,
      args: [],
      workflowIdConflictPolicy: 'FAIL',
    });
    let started;
    try {
      started = await this.client.workflow.executeUpdateWithStart(startSlotExecutionUpdate, { args: [{ executionSid, input }], startWorkflowOperation });
    } catch (err) {
      if (!isSlotTaken(err)) throw err;
      const active = await this.client.workflow.getHandle(slotId).query(activeExecutionQuery).catch(() => undefined);
      throw new ExecutionConflictError(options.flowSid, options.to, active);
    }
    // As Studio answers a create: the execution as it starts, with an empty context (reads show it as it runs).
    return {
      sid: executionSid,
      flowSid: options.flowSid,
      flowRevision: published.revision,
      status: 'active',
      context: {} as ExecutionView['context'],
      contactAddress: options.to,
      stepCount: 0,
      warnings: [],
      dateCreated: started.dateCreated,
      dateUpdated: started.dateCreated,
    };
  }

  /** The execution's current view; works for active and ended executions alike. */
  async get(flowSid: string, sid: string): Promise<ExecutionRecord> {
    const handle = this.client.workflow.getHandle(sid);
    const description = await handle.describe().catch((err: unknown) => {
      throw err instanceof WorkflowNotFoundError ? new ExecutionNotFoundError(flowSid, sid) : err;
    });
    if (description.type !== 'executionWorkflow') throw new ExecutionNotFoundError(flowSid, sid);
    const view = await readWithin(this.client, `execution ${sid}`, () => handle.query(getExecutionQuery));
    if (!view || view.flowSid !== flowSid) throw new ExecutionNotFoundError(flowSid, sid);
    return description.status.name === 'RUNNING' ? view : { ...view, status: 'ended' };
  }

  /** Status=ended: the execution runs its cleanup, then ends; resolves with its final view. */
  async end(flowSid: string, sid: string): Promise<ExecutionRecord> {
    const current = await this.get(flowSid, sid);
    if (current.status === 'ended') throw new ExecutionEndedError(sid);
    try {
      return await this.client.workflow.getHandle(sid).executeUpdate(endExecutionUpdate);
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError) throw new ExecutionEndedError(sid);
      throw err;
    }
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
  }
}

/** The slot is held: the server refused the start (policy FAIL), or the slot's validator refused the update. */
function isSlotTaken(err: unknown): boolean {
  if (err instanceof WorkflowExecutionAlreadyStartedError) return true;
  const cause = (err as { cause?: { type?: unknown } } | undefined)?.cause;
  return err instanceof WorkflowUpdateFailedError && cause?.type === 'SlotTaken';
}
