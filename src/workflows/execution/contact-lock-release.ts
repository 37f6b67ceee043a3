import { CancellationScope, log, patched, workflowInfo } from '@temporalio/workflow';
import { flowStoreActivities } from './activity-proxies';
import type { ExecutionInput } from '../contracts/execution-messages';
import { EXECUTION_LABEL, summary } from './summaries';

/**
 * Patch: an execution frees its contact's lock as it ends, however it ends (its last widget, a failure, Status=ended,
 * its lifetime running out, a cancellation), instead of leaving the lock Running until the contact's next start
 * finds it stale. Histories recorded before it replay without the activity.
 */
export const RELEASE_CONTACT_LOCK_PATCH = 'release-contact-lock';

/**
 * Frees the `<flow>/contacts/<contact>` lock this execution holds (see contactLockWorkflow). It runs while the
 * workflow is being cancelled too, and a lock that cannot be freed is logged, not raised: the execution still ends,
 * and the contact's next start frees a stale lock as before.
 */
export async function releaseContactLock(input: ExecutionInput): Promise<void> {
  if (!patched(RELEASE_CONTACT_LOCK_PATCH)) return;
  const ref = { flowSid: input.flowSid, contact: input.to, executionSid: workflowInfo().workflowId };
  const action = summary(EXECUTION_LABEL, `release the lock on ${input.to}`);
  try {
    await CancellationScope.nonCancellable(() => flowStoreActivities.releaseContactLock.executeWithOptions({ summary: action }, [ref]));
  } catch (err) {
    log.error('could not release the contact lock', { ...ref, error: String(err) });
  }
}
