/**
 * A workflow that does nothing and ends at once: the API queries it (Temporal's built-in
 * `__temporal_workflow_metadata` query) to learn within seconds whether a worker serves the task queue. A query of an
 * ended workflow is a task only a polling worker can answer, whereas the server's poller records (DescribeTaskQueue)
 * outlive a killed worker by a minute or more.
 */
export async function workerProbeWorkflow(): Promise<void> {
  // The answer to the query is the proof; the body has nothing to do.
}

/** Workflow ID of the probe of one task queue. */
export function workerProbeId(taskQueue: string): string {
  return `studio-worker-probe/${taskQueue}`;
}
