import { studioContactKey, studioFlowSidKey } from './search-attributes';
import type { ExecutionInput } from './execution-messages';

/** What the Executions list reads from visibility, so listing needs no query per execution. */
export interface ExecutionMemo {
  readonly flow_sid: string;
  readonly flow_version: number;
  /** The flow's friendly name at that revision; absent in executions started before it was recorded. */
  readonly flow_name?: string;
  readonly contact_channel_address: string;
  readonly date_created: string;
}

/** The search attributes and memo an execution starts with, so it lists at once and writes no upsert events. */
export function executionStartAttributes(input: ExecutionInput, dateCreated: string) {
  const memo: ExecutionMemo = {
    flow_sid: input.flowSid,
    flow_version: input.flowRevision ?? 0,
    flow_name: input.flowName,
    contact_channel_address: input.to,
    date_created: dateCreated,
  };
  return {
    typedSearchAttributes: [
      { key: studioFlowSidKey, value: input.flowSid },
      { key: studioContactKey, value: input.to },
    ],
    memo: { execution: memo },
    // Shown as the execution's summary in the Temporal UI's list and detail views.
    staticSummary: `${input.flowName ?? input.flowSid} (revision ${input.flowRevision ?? '?'}) for ${input.to}`,
  };
}
