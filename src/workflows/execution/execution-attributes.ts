import { upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ExecutionState } from '../../flow/execution-state';
import { studioContactKey, studioFlowSidKey } from '../../temporal/search-attributes';
import type { ExecutionInput } from './execution-messages';
import type { ExecutionMemo } from './execution-memo';

/** The memo the starter set, if it set one (the API does). */
export function startedMemo(): ExecutionMemo | undefined {
  return workflowInfo().memo?.execution as ExecutionMemo | undefined;
}

/**
 * Search attributes and memo for executions whose starter did not set them (the Temporal CLI), so they list in the
 * API like those the API starts. Set at start, they cost no history events here.
 */
export function publishExecutionAttributes(state: ExecutionState, input: ExecutionInput): void {
  if (startedMemo() && workflowInfo().typedSearchAttributes.get(studioFlowSidKey) !== undefined) return;
  upsertSearchAttributes([
    { key: studioFlowSidKey, value: state.flowSid },
    { key: studioContactKey, value: input.to },
  ]);
  const memo: ExecutionMemo = {
    flow_sid: state.flowSid,
    flow_version: state.flowRevision,
    contact_channel_address: input.to,
    date_created: state.dateCreated,
  };
  upsertMemo({ execution: memo });
}
