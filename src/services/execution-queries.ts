import type { Client } from '@temporalio/client';
import type { FlowContext } from '../flow/context';
import { twilioDate } from '../flow/dates';
import { getStepContextQuery, getStepsQuery, type StepPage, type StepView } from '../workflows/contracts/execution-messages';
import type { ExecutionMemo } from '../workflows/contracts/execution-memo';
import { ExecutionStuckError, StepNotFoundError } from './store-errors';
import type { ExecutionCommands } from './execution-commands';
import { dateOf, listPage, quoted, type VisibilityPage } from './visibility';
import type { WorkerLiveness } from './worker-liveness';
import { readWithin } from './query-deadlines';

export interface ExecutionListFilters {
  readonly status?: 'active' | 'ended';
  readonly createdFrom?: Date;
  readonly createdTo?: Date;
}

/** An execution as a list shows it, from visibility (no query per item). */
export interface ExecutionListItem extends ExecutionMemo {
  readonly sid: string;
  readonly status: 'active' | 'ended';
  readonly date_updated: string;
}

/** A subflow's own steps are bounded by Studio's step limit. */
const MAX_CHILD_STEPS = 1000;

/** Read-side of executions: lists from visibility, steps and step contexts from the workflows' queries. */
export class ExecutionQueries {
  /** With `liveness` (the API's), reads fail fast with WorkerUnavailableError when no worker runs. */
  constructor(
    private readonly client: Client,
    private readonly executions: ExecutionCommands,
    private readonly liveness?: WorkerLiveness,
  ) {}

  /** Newest first. Runs an execution continued-as-new from are not listed, only its current run. */
  async list(flowSid: string, filters: ExecutionListFilters, pageSize: number, pageToken?: string): Promise<VisibilityPage<ExecutionListItem>> {
    const page = await this.listRuns(flowSid, filters, pageSize, pageToken);
    // Visibility can show a run that just continued-as-new as still running for a moment: one row per execution.
    const seen = new Set<string>();
    return { ...page, items: page.items.filter((item) => !seen.has(item.sid) && seen.add(item.sid)) };
  }

  private listRuns(flowSid: string, filters: ExecutionListFilters, pageSize: number, pageToken?: string): Promise<VisibilityPage<ExecutionListItem>> {
    const clauses = [`WorkflowType = 'executionWorkflow'`, `StudioFlowSid = ${quoted(flowSid)}`, `ExecutionStatus != 'ContinuedAsNew'`];
    if (filters.status === 'active') clauses.push(`ExecutionStatus = 'Running'`);
    if (filters.status === 'ended') clauses.push(`ExecutionStatus != 'Running'`);
    if (filters.createdFrom) clauses.push(`StartTime >= ${quoted(filters.createdFrom.toISOString())}`);
    if (filters.createdTo) clauses.push(`StartTime <= ${quoted(filters.createdTo.toISOString())}`);
    return listPage(this.client, clauses.join(' AND '), pageSize, pageToken, (execution, memo) => {
      const saved = memo.execution as ExecutionMemo | undefined;
      if (!saved || !execution.execution?.workflowId) return undefined;
      const running = execution.status === 1; // WORKFLOW_EXECUTION_STATUS_RUNNING
      const updated = dateOf(execution.closeTime) ?? dateOf(execution.startTime);
      return {
        ...saved,
        sid: execution.execution.workflowId,
        status: running ? 'active' : 'ended',
        date_updated: updated ? twilioDate(updated) : saved.date_created,
      };
    });
  }

  /** A page of steps in order, each with what it wrote to the context. */
  async steps(flowSid: string, sid: string, offset: number, limit: number): Promise<StepPage> {
    await this.assertReadable(flowSid, sid);
    const page = await this.withActiveChild(sid, await this.query(sid, sid, offset, limit), offset, limit);
    if (page.steps.every((step) => step.context !== null)) return page;
    // A subflow's steps: one read of the child execution answers for all of them.
    const fromChildren = new Map<string, StepView>();
    for (const workflowId of new Set(page.steps.filter((s) => s.context === null && s.child_execution).map((s) => s.child_execution!))) {
      for (const step of (await this.query(sid, workflowId, 0, MAX_CHILD_STEPS)).steps) fromChildren.set(step.sid, step);
    }
    // Steps recorded before a continue-as-new: their run answers for them, one at a time (each read replays it).
    const steps: StepView[] = [];
    for (const step of page.steps) {
      const known = step.context !== null ? step : fromChildren.get(step.sid);
      steps.push(known ? { ...known, parent_step_sid: step.parent_step_sid, child_execution: step.child_execution } : (await this.locate(sid, step.sid)).step);
    }
    return { ...page, steps };
  }

  /** Checks that the execution exists and that a worker can answer for its steps (its workflow task is not stuck). */
  private async assertReadable(flowSid: string, sid: string): Promise<void> {
    const { stuck } = await this.executions.inspect(flowSid, sid);
    if (stuck) throw new ExecutionStuckError(sid, stuck.attempt - 1, stuck.lastFailure);
  }

  /** A running subflow's steps so far come after its parent's (they are merged into the parent once it ends). */
  private async withActiveChild(sid: string, page: StepPage, offset: number, limit: number): Promise<StepPage> {
    const child = page.activeChild;
    if (!child) return page;
    const childOffset = Math.max(0, offset - page.total);
    const room = limit - page.steps.length;
    const childPage = await this.query(sid, child.workflowId, childOffset, Math.max(room, 0));
    const childSteps = childPage.steps.map((step) => ({ ...step, parent_step_sid: child.stepSid, child_execution: child.workflowId }));
    return { steps: [...page.steps, ...childSteps], total: page.total + childPage.total };
  }

  private query(sid: string, workflowId: string, offset: number, limit: number): Promise<StepPage> {
    return readWithin(this.client, `execution ${sid}`, () => this.client.workflow.getHandle(workflowId).query(getStepsQuery, offset, limit), this.liveness);
  }

  async step(flowSid: string, sid: string, stepSid: string): Promise<StepView> {
    await this.assertReadable(flowSid, sid);
    return (await this.locate(sid, stepSid)).step;
  }

  /** The whole context as it was right after the step. */
  async stepContext(flowSid: string, sid: string, stepSid: string): Promise<{ step: StepView; context: FlowContext }> {
    await this.assertReadable(flowSid, sid);
    return this.locate(sid, stepSid);
  }

  /** Finds a step of execution `sid` (checked to exist by the caller) wherever its context is kept. */
  private async locate(sid: string, stepSid: string): Promise<{ step: StepView; context: FlowContext }> {
    // Earlier runs (continue-as-new) and subflows (child executions) answer for their own steps.
    let target: { workflowId: string; runId?: string } = { workflowId: sid };
    let parentStepSid: string | undefined;
    for (let hops = 0; hops < 100; hops++) {
      const handle = this.client.workflow.getHandle(target.workflowId, target.runId);
      const location = await readWithin(this.client, `execution ${sid}`, () => handle.query(getStepContextQuery, stepSid), this.liveness);
      if (location.kind === 'here') return { context: location.context, step: { ...location.step, parent_step_sid: parentStepSid } };
      if (location.kind === 'missing' || (location.kind === 'child' && parentStepSid)) break; // subflows do not nest
      if (location.kind === 'child') parentStepSid = location.parentStepSid;
      target = location.kind === 'child' ? { workflowId: location.workflowId } : { workflowId: target.workflowId, runId: location.runId };
    }
    throw new StepNotFoundError(sid, stepSid);
  }
}
