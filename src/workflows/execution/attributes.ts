import { upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ExecutionState } from '../../flow/execution-state';
import { studioFlowSidKey } from '../contracts/search-attributes';
import type { ExecutionInput } from '../contracts/execution-messages';
import { type ExecutionMemo, executionStartAttributes } from '../contracts/execution-memo';

/** The memo the starter set, if it set one (the API does). */
export function startedMemo(): ExecutionMemo | undefined {
  return workflowInfo().memo?.execution as ExecutionMemo | undefined;
}

/**
 * Search attributes and memo for executions whose starter did not set them (the Temporal CLI), so they list in the
 * API like those the API starts. Set at start, they cost no history events here.
 */
export function publishExecutionAttributes(state: ExecutionState, input: ExecutionInput, flowName?: string): void {
  if (startedMemo() && workflowInfo().typedSearchAttributes.get(studioFlowSidKey) !== undefined) return;
  const started = { ...input, flowRevision: state.flowRevision, flowName: input.flowName ?? flowName };
  const { typedSearchAttributes, memo } = executionStartAttributes(started, state.dateCreated);
  upsertSearchAttributes(typedSearchAttributes);
  upsertMemo(memo);
}
