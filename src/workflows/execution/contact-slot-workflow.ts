import {
  ApplicationFailure,
  type ChildWorkflowHandle,
  condition,
  defineQuery,
  defineUpdate,
  ParentClosePolicy,
  setHandler,
  startChild,
} from '@temporalio/workflow';
import { twilioDate } from '../../flow/dates';
import { executionStartAttributes } from './execution-attributes';
import type { ExecutionInput } from './execution-messages';
import { executionWorkflow } from './execution-workflow';

export interface SlotStart {
  readonly executionSid: string;
  readonly input: ExecutionInput;
}

export interface SlotStarted {
  readonly executionSid: string;
  /** The execution's `date_created`, as every view of it shows. */
  readonly dateCreated: string;
}

/** Starts the slot's execution; resolves once the execution workflow has started. */
export const startSlotExecutionUpdate = defineUpdate<SlotStarted, [SlotStart]>('startExecution');
/** The execution holding the slot, if any. */
export const activeExecutionQuery = defineQuery<string | undefined>('activeExecution');

/** Workflow ID of the slot for one contact of one flow. */
export function contactSlotId(flowSid: string, contact: string): string {
  return `${flowSid}/contacts/${contact}`;
}

/**
 * Studio allows one active REST execution per (flow, contact). This workflow is that rule, made race-free by
 * Temporal's workflow-ID uniqueness: its ID names the pair, the API starts it with conflict policy FAIL, and it runs
 * the execution as its child for as long as the execution is active. A second start while it runs is refused by
 * the server, not by a check-then-act.
 */
export async function contactSlotWorkflow(): Promise<void> {
  let child: ChildWorkflowHandle<typeof executionWorkflow> | undefined;
  let executionSid: string | undefined;
  setHandler(activeExecutionQuery, () => executionSid);
  setHandler(
    startSlotExecutionUpdate,
    async ({ executionSid: sid, input }) => {
      executionSid = sid;
      const dateCreated = twilioDate(new Date());
      child = await startChild(executionWorkflow, {
        workflowId: sid,
        args: [input],
        // Cancelling or terminating the slot asks the execution to end, so its cleanup still runs.
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        ...executionStartAttributes(input, dateCreated),
      });
      return { executionSid: sid, dateCreated };
    },
    {
      validator: (_start: SlotStart) => {
        if (executionSid) throw ApplicationFailure.nonRetryable(`Execution ${executionSid} holds this contact`, 'SlotTaken');
      },
    },
  );
  if (!(await condition(() => child !== undefined, '1 minute'))) return; // a start that never came
  try {
    await child!.result();
  } catch {
    // However the execution ended (failed, terminated, deleted), the contact is free again.
  }
}
