import { upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
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

/**
 * Search attributes and memo, written by the workflow itself so executions started from the Temporal CLI list in the
 * API like those the API starts.
 */
export function publishExecutionAttributes(state: ExecutionState, input: ExecutionInput): void {
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
