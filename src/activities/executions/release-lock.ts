import type { ContactLocks } from '../../services/contact-locks';

/** Which lock to free: the one `executionSid` holds for its contact of its flow (see contactLockWorkflow). */
export interface ContactLockRef {
  readonly flowSid: string;
  readonly contact: string;
  readonly executionSid: string;
}

/**
 * Freeing an ended execution's contact lock from the execution itself, so a lock never outlives the execution that
 * took it (Studio: one active execution per flow and contact). ContactLocks.release terminates the lock's exact run
 * only while this execution holds it, so a retry, or a lock already freed by the API or taken by the next execution,
 * changes nothing.
 */
export function createContactLockActivities(locks: ContactLocks) {
  return {
    async releaseContactLock(ref: ContactLockRef): Promise<void> {
      await locks.release(ref.flowSid, ref.contact, ref.executionSid);
    },
  };
}
