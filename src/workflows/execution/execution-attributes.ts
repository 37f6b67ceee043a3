import { upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ExecutionState } from '../../flow/execution-state';
import { studioContactKey, studioFlowSidKey } from '../../temporal/search-attributes';
import type { ExecutionInput } from './execution-messages';

/** What the Executions list reads from visibility, so listing needs no query per execution. */
export interface ExecutionMemo {
  readonly flow_sid: string;
  readonly flow_version: number;
  readonly contact_channel_address: string;
  readonly date_created: string;
}

/** The memo the starter set, if it set one (the contact slot does). */
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

/** What the slot sets when it starts an execution: the same search attributes and memo, without an upsert. */
export function executionStartAttributes(input: ExecutionInput, dateCreated: string) {
  const memo: ExecutionMemo = { flow_sid: input.flowSid, flow_version: input.flowRevision ?? 0, contact_channel_address: input.to, date_created: dateCreated };
  return {
    typedSearchAttributes: [
      { key: studioFlowSidKey, value: input.flowSid },
      { key: studioContactKey, value: input.to },
    ],
    memo: { execution: memo },
  };
}
