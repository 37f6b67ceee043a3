import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { contactLockId } from '../workflows/contracts/contact-lock';
import { ExecutionConflictError } from './store-errors';

/** Studio's lifetime of an execution; the lock's start delay, after which it frees itself. */
const LOCK_LIFETIME = '30 days';
/** A lock whose execution does not exist yet is being started; after this long it is a crash's leftover. */
const STARTING_GRACE_MS = 60_000;
const ATTEMPTS = 3;

/**
 * One active execution per (flow, contact), through Temporal's workflow-ID uniqueness (see contactLockWorkflow).
 * Every decision is the server's: a lock is taken only by a start with conflict policy FAIL, and a stale lock is
 * removed by terminating that exact run, so two racing starts can never both win.
 */
export class ContactLocks {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /** Takes the lock for `executionSid`, freeing a stale one first; throws ExecutionConflictError when it is held. */
  async acquire(flowSid: string, contact: string, executionSid: string): Promise<void> {
    const workflowId = contactLockId(flowSid, contact);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.workflow.start('contactLockWorkflow', {
          workflowId,
          taskQueue: this.taskQueue,
          args: [],
          workflowIdConflictPolicy: 'FAIL',
          startDelay: LOCK_LIFETIME,
          memo: { execution_sid: executionSid },
          // What an operator sees in the Temporal UI's list: this never runs; it only holds the contact's slot.
          staticSummary: `Lock: ${contact} has active execution ${executionSid} of ${flowSid}`,
        });
        return;
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      const holder = await this.holder(workflowId);
      if (!holder) continue; // released between our start and our look: try again
      const state = await this.holderState(holder);
      if (attempt >= ATTEMPTS || state !== 'stale') throw new ExecutionConflictError(flowSid, contact, holder.executionSid, state !== 'active');
      await this.terminate(workflowId, holder.runId, `execution ${holder.executionSid} is no longer active`);
    }
  }

  /** Frees the lock if `executionSid` holds it (Status=ended, DELETE, a failed start). */
  async release(flowSid: string, contact: string, executionSid: string): Promise<void> {
    const workflowId = contactLockId(flowSid, contact);
    const holder = await this.holder(workflowId);
    if (holder?.executionSid === executionSid) await this.terminate(workflowId, holder.runId, `execution ${executionSid} ended`);
  }

  private async holder(workflowId: string): Promise<{ executionSid: string; runId: string; since: Date } | undefined> {
    try {
      const lock = await this.client.workflow.getHandle(workflowId).describe();
      if (lock.status.name !== 'RUNNING') return undefined;
      return { executionSid: String(lock.memo?.execution_sid), runId: lock.runId, since: lock.startTime };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  /**
   * `active`: the holder's execution runs. `starting`: it does not exist yet (being started), or its ID still holds
   * the reply record of the message about to start it (see ReplyRecords): nothing to signal yet. `stale`: it ended, or
   * never appeared within the grace.
   */
  private async holderState(holder: { executionSid: string; since: Date }): Promise<'active' | 'starting' | 'stale'> {
    try {
      const execution = await this.client.workflow.getHandle(holder.executionSid).describe();
      if (execution.status.name !== 'RUNNING') return 'stale';
      return execution.type === 'executionWorkflow' ? 'active' : 'starting';
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      return Date.now() - holder.since.getTime() > STARTING_GRACE_MS ? 'stale' : 'starting'; // deleted, or never started
    }
  }

  private async terminate(workflowId: string, runId: string, reason: string): Promise<void> {
    try {
      await this.client.workflow.getHandle(workflowId, runId).terminate(reason);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err; // already gone: someone else freed it
    }
  }
}
