import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { twilioDate } from '../flow/dates';
import type { ExecutionView } from '../workflows/execution/execution-messages';
import type { ExecutionMemo } from '../workflows/execution/execution-memo';

/**
 * A workflow task on its second attempt or later: the first failed or timed out (a worker crashed on it, or the
 * workflow cannot run its input or history). Neither a query nor an update can be answered until a task completes,
 * so the API stops waiting for one.
 */
const STUCK_FROM_ATTEMPT = 2;

/** How the server sees an execution whose workflow task keeps failing: the pending attempt and its last failure. */
export interface StuckTask {
  readonly attempt: number;
  readonly lastFailure: string;
}

/** The execution's pending workflow task, when it is stuck (see STUCK_FROM_ATTEMPT); read from the server only. */
export async function stuckTaskOf(client: Client, description: WorkflowExecutionDescription): Promise<StuckTask | undefined> {
  const attempt = description.raw.pendingWorkflowTask?.attempt ?? 0;
  if (description.status.name !== 'RUNNING' || attempt < STUCK_FROM_ATTEMPT) return undefined;
  return { attempt, lastFailure: await lastTaskFailure(client, description.workflowId) };
}

/**
 * Why the API ended a stuck execution, for its termination reason. What the workflow would have done at its end did
 * not run: the conversation's webhook stays registered, `flow.channel.status` is not set to `ended`, no last step is
 * recorded; a running subflow is terminated with it (Temporal's default parent-close policy).
 */
export function stuckTerminationReason(request: 'Status=ended' | 'DELETE', stuck: StuckTask): string {
  const failed = stuck.attempt - 1;
  return (
    `${request}: its workflow task failed on ${failed} attempt${failed === 1 ? '' : 's'} (last: ${stuck.lastFailure}), ` +
    'so it was terminated without its cleanup (the conversation webhook was not removed)'
  );
}

/** The execution as the server's memo describes it, for an execution no worker can answer for; `closedAt` when it ended. */
export function memoView(sid: string, memo: ExecutionMemo, closedAt?: Date): ExecutionView {
  return {
    sid,
    flowSid: memo.flow_sid,
    flowRevision: memo.flow_version,
    status: closedAt ? 'ended' : 'active',
    context: {} as ExecutionView['context'],
    contactAddress: memo.contact_channel_address,
    stepCount: 0,
    warnings: [],
    dateCreated: memo.date_created,
    dateUpdated: closedAt ? twilioDate(closedAt) : memo.date_created,
  };
}

/** The last workflow task failure or timeout in the history (only the first of a run of failures is recorded). */
async function lastTaskFailure(client: Client, workflowId: string): Promise<string> {
  const { history } = await client.workflowService.getWorkflowExecutionHistoryReverse({
    namespace: client.options.namespace,
    execution: { workflowId },
    maximumPageSize: 50,
  });
  for (const event of history?.events ?? []) {
    const failed = event.workflowTaskFailedEventAttributes;
    if (failed) return failed.failure?.message?.split('\n')[0] ?? 'no message';
    if (event.workflowTaskTimedOutEventAttributes) return 'the workflow task timed out (a worker died on it or took too long)';
    if (event.workflowTaskCompletedEventAttributes) break;
  }
  return 'unknown';
}
