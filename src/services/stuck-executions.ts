import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { twilioDate } from '../flow/dates';
import type { ExecutionView } from '../workflows/contracts/execution-messages';
import type { ExecutionMemo } from '../workflows/contracts/execution-memo';

/**
 * A workflow task that failed once is stuck (the workflow cannot run its input or history, and will not on the next
 * attempt either); one that timed out is stuck from its third attempt (a worker died on it twice: a crash loop),
 * whereas after a single timeout the next worker usually completes it. Neither a query nor an update can be answered
 * until a task completes, so the API stops waiting for one.
 */
const STUCK_AFTER_FAILURES = 1;
const STUCK_AFTER_TIMEOUTS = 2;

/** How the server sees an execution whose workflow task keeps failing: the pending attempt and its last failure. */
export interface StuckTask {
  readonly attempt: number;
  readonly lastFailure: string;
}

/** The execution's pending workflow task, when it is stuck (see STUCK_AFTER_FAILURES); read from the server only. */
export async function stuckTaskOf(client: Client, description: WorkflowExecutionDescription): Promise<StuckTask | undefined> {
  const attempt = description.raw.pendingWorkflowTask?.attempt ?? 0;
  if (description.status.name !== 'RUNNING' || attempt <= STUCK_AFTER_FAILURES) return undefined;
  const last = await lastTaskFailure(client, description.workflowId);
  if (last.timedOut && attempt <= STUCK_AFTER_TIMEOUTS) return undefined;
  return { attempt, lastFailure: last.message };
}

/**
 * Why Status=ended terminated a stuck execution, for the termination reason. What the workflow would have done at its
 * end did not run: the conversation's webhook stays registered, `flow.channel.status` is not set to `ended`, no last
 * step is recorded; a running subflow is terminated with it (Temporal's default parent-close policy).
 */
export function stuckTerminationReason(stuck: StuckTask): string {
  const failed = stuck.attempt - 1;
  return (
    `Status=ended: its workflow task failed on ${failed} attempt${failed === 1 ? '' : 's'} (last: ${stuck.lastFailure}), ` +
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
async function lastTaskFailure(client: Client, workflowId: string): Promise<{ message: string; timedOut: boolean }> {
  const { history } = await client.workflowService.getWorkflowExecutionHistoryReverse({
    namespace: client.options.namespace,
    execution: { workflowId },
    maximumPageSize: 50,
  });
  for (const event of history?.events ?? []) {
    const failed = event.workflowTaskFailedEventAttributes;
    if (failed) return { message: failed.failure?.message?.split('\n')[0] ?? 'no message', timedOut: false };
    if (event.workflowTaskTimedOutEventAttributes) {
      return { message: 'the workflow task timed out (a worker died on it or took too long)', timedOut: true };
    }
    if (event.workflowTaskCompletedEventAttributes) break;
  }
  return { message: 'unknown', timedOut: false };
}
