/**
 * Studio allows one active REST execution per (flow, contact). The rule is a lock held by Temporal's workflow-ID
 * uniqueness, at almost no cost: a workflow of this type, ID `<flow SID>/contacts/<contact>`, started with conflict
 * policy FAIL and a start delay as long as an execution may live (30 days). Until then it is Running without
 * running (one history event, no workflow task); the API terminates it when the execution ends, or finds it stale
 * at the contact's next start. Should the delay run out first, this body runs once and the lock is gone.
 */
export async function contactLockWorkflow(): Promise<void> {
  // Nothing to do: the lock is the running workflow, not anything it does.
}

/** Workflow ID of the lock for one contact of one flow. */
export function contactLockId(flowSid: string, contact: string): string {
  return `${flowSid}/contacts/${contact}`;
}
