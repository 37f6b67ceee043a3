import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const { TaskQueueType } = temporal.api.enums.v1;

/**
 * A poller counts as alive when it polled within this window. The server keeps poller records for minutes after a
 * worker goes away, while a live worker re-polls at least every ~70 s (long-poll timeout).
 */
const POLLER_FRESHNESS_MS = 90_000;
const CHECK_TIMEOUT_MS = 3_000;

export interface HealthReport {
  readonly healthy: boolean;
  readonly body: { temporal: string; worker: string };
}

/** Answers whether the Temporal server responds and a worker polls `taskQueue` for both workflow and activity tasks. */
export async function checkHealth(client: Client, taskQueue: string): Promise<HealthReport> {
  const deadline = () => Date.now() + CHECK_TIMEOUT_MS;
  try {
    await client.connection.withDeadline(deadline(), () => client.workflowService.getSystemInfo({}));
  } catch (err) {
    return unhealthy(`unreachable: ${reason(err)}`, 'unknown: the Temporal server did not answer');
  }
  try {
    const missing: string[] = [];
    for (const [label, type] of [
      ['workflow', TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW],
      ['activity', TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY],
    ] as const) {
      const described = await client.connection.withDeadline(deadline(), () =>
        client.workflowService.describeTaskQueue({ namespace: client.options.namespace, taskQueue: { name: taskQueue }, taskQueueType: type }),
      );
      if (!(described.pollers ?? []).some(isFresh)) missing.push(label);
    }
    if (missing.length > 0) {
      return unhealthy('ok', `down: no worker is polling task queue '${taskQueue}' (${missing.join(' and ')} tasks)`);
    }
    return { healthy: true, body: { temporal: 'ok', worker: 'ok' } };
  } catch (err) {
    return unhealthy('ok', `unknown: could not describe task queue '${taskQueue}': ${reason(err)}`);
  }
}

function isFresh(poller: temporal.api.taskqueue.v1.IPollerInfo): boolean {
  const seconds = Number(poller.lastAccessTime?.seconds ?? 0);
  return Date.now() - seconds * 1000 < POLLER_FRESHNESS_MS;
}

function unhealthy(temporalStatus: string, worker: string): HealthReport {
  return { healthy: false, body: { temporal: temporalStatus, worker } };
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}
