import { studioContactKey, studioFlowSidKey } from '../../temporal/search-attributes';
import type { ExecutionInput } from './execution-messages';

/** What the Executions list reads from visibility, so listing needs no query per execution. */
export interface ExecutionMemo {
  readonly flow_sid: string;
  readonly flow_version: number;
  readonly contact_channel_address: string;
  readonly date_created: string;
}

/** The search attributes and memo an execution starts with, so it lists at once and writes no upsert events. */
export function executionStartAttributes(input: ExecutionInput, dateCreated: string) {
  const memo: ExecutionMemo = {
    flow_sid: input.flowSid,
    flow_version: input.flowRevision ?? 0,
    contact_channel_address: input.to,
    date_created: dateCreated,
  };
  return {
    typedSearchAttributes: [
      { key: studioFlowSidKey, value: input.flowSid },
      { key: studioContactKey, value: input.to },
    ],
    memo: { execution: memo },
  };
}
