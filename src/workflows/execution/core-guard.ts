import { ApplicationFailure, log, patched } from '@temporalio/workflow';
import { applyChanges } from '../../flow/context';
import type { FlowDefinition } from '../../flow/definition';
import { type Clock, EXECUTION_FAILED_CODE, type ExecutionState } from '../../flow/execution-state';
import { endExecution } from '../../flow/interpreter';
import { EXECUTION_FAILURE } from '../contracts/failure-types';

/**
 * Patch: an exception from the core ends that execution the Studio way (`flow.error`, a `failed` step, cleanup)
 * instead of failing the workflow. Histories recorded before it still fail where they failed.
 */
export const CORE_ERROR_PATCH = 'core-error-ends-execution';

/**
 * Runs one step of the pure core. The core is deterministic, so an exception from it is a bug or a definition it
 * cannot run, and would happen again on every retry: it must never fail the workflow task (which Temporal retries
 * forever). It ends the execution with `flow.error` = {code 84002, a message naming the widget}, recorded as the
 * widget's `failed` step, and the workflow then runs its cleanup as for any other end. Before `before` exists (the
 * trigger), and on histories from before {@link CORE_ERROR_PATCH}, it fails the workflow, as it always did.
 */
export function runCore(step: () => ExecutionState, before: ExecutionState | undefined, definition: FlowDefinition, clock: Clock): ExecutionState {
  try {
    return step();
  } catch (err) {
    if (err instanceof ApplicationFailure) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    if (!before || !patched(CORE_ERROR_PATCH)) throw ApplicationFailure.nonRetryable(reason, EXECUTION_FAILURE.coreError);
    if (before.status === 'ended') return before;
    const widget = before.current?.widget ?? before.steps.at(-1)?.transitioned_to ?? definition.initial_state;
    log.error('execution core error: the execution ends', { widget, error: reason });
    return failedAt(definition, before, { code: EXECUTION_FAILED_CODE, message: `widget '${widget}' could not run: ${reason}` }, clock);
  }
}

/** Ends the execution with `error`; should even that fail (a definition without the widget), the error is still set. */
export function failedAt(definition: FlowDefinition, state: ExecutionState, error: { code: number; message: string }, clock: Clock): ExecutionState {
  try {
    return endExecution(definition, state, { step: 'failed', error }, clock);
  } catch {
    return { ...state, status: 'ended', current: undefined, context: applyChanges(state.context, [{ path: ['flow', 'error'], value: error }]) };
  }
}
