import { uuid4 } from '@temporalio/workflow';
import { applyChanges, type FlowContext, type JsonObject } from '../../flow/context';
import { twilioDate } from '../../flow/dates';
import { type Clock, contextAtStep, type ExecutionState } from '../../flow/execution-state';
import type { ExecutionInput, ExecutionView, PreviousRun, StepContextLocation, StepPage } from './execution-messages';

/** Workflow time and Temporal's deterministic uuid4: the same on every replay. */
export function workflowClock(): Clock {
  return { now: () => twilioDate(new Date()), newStepSid: () => `FT${uuid4().replace(/-/g, '')}` };
}

/** An execution as it starts, before its first step: what a create answers, and reads show until the flow is read. */
export function startingView(sid: string, input: ExecutionInput, dateCreated: string): ExecutionView {
  return {
    sid,
    flowSid: input.flowSid,
    flowRevision: input.flowRevision ?? 0,
    status: 'active',
    context: {} as ExecutionView['context'],
    contactAddress: input.to,
    stepCount: 0,
    warnings: [],
    dateCreated,
    dateUpdated: dateCreated,
  };
}

/** `cleanedUp`: the execution counts as ended only once its cleanup (the webhook's removal) is done. */
export function viewOf(state: ExecutionState, contactAddress: string, cleanedUp: boolean): ExecutionView {
  return {
    sid: state.sid,
    flowSid: state.flowSid,
    flowRevision: state.flowRevision,
    status: state.status === 'ended' && cleanedUp ? 'ended' : 'active',
    context: state.context,
    contactAddress,
    stepCount: state.steps.length,
    warnings: state.warnings,
    dateCreated: state.dateCreated,
    dateUpdated: state.dateUpdated,
  };
}

/** A step's context is rebuilt by the run that recorded the step; earlier runs answer for their own steps. */
export function locateStepContext(state: ExecutionState, previousRuns: readonly PreviousRun[], stepSid: string): StepContextLocation {
  const index = state.steps.findIndex((step) => step.sid === stepSid);
  if (index === -1) return { kind: 'missing' };
  const { child_execution: childExecution, parent_step_sid: parentStepSid } = state.steps[index]!;
  if (childExecution && parentStepSid) return { kind: 'child', workflowId: childExecution, parentStepSid };
  const context = contextAtStep(state, index);
  if (context) return { kind: 'here', step: stepPage(state, index, 1).steps[0]!, context };
  const run = [...previousRuns].reverse().find((r) => r.firstStep <= index);
  return run ? { kind: 'earlierRun', runId: run.runId } : { kind: 'missing' };
}

/** A page of steps, each with the part of the context it wrote (as a fragment of the context's shape). */
export function stepPage(state: ExecutionState, offset: number, limit: number): StepPage {
  const steps = state.steps.slice(offset, offset + limit).map((step) => {
    const changes = step.child_execution ? undefined : state.changes[step.sid];
    const context = changes ? (applyChanges({} as FlowContext, changes) as unknown as JsonObject) : null;
    return { ...step, context };
  });
  return { steps, total: state.steps.length };
}
