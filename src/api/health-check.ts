import type { Client } from '@temporalio/client';
import type { WorkerLiveness } from '../services/worker-liveness';

const CHECK_TIMEOUT_MS = 3_000;

export interface HealthReport {
  readonly healthy: boolean;
  readonly body: { temporal: string; worker: string };
}

/**
 * Answers whether the Temporal server responds and a worker serves `taskQueue` now: `liveness` asks a worker (a query
 * of the probe workflow, answered or not within PROBE_TIMEOUT_MS, 5 s), because the server's poller records outlive a killed worker by
 * a minute or more.
 */
export async function checkHealth(client: Client, taskQueue: string, liveness: WorkerLiveness): Promise<HealthReport> {
  try {
    await client.connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () => client.workflowService.getSystemInfo({}));
  } catch (err) {
    return unhealthy(`unreachable: ${reason(err)}`, 'unknown: the Temporal server did not answer');
  }
  const worker = await liveness.check();
  if (!worker.alive) return unhealthy('ok', `down: ${worker.detail ?? `no worker answered on task queue '${taskQueue}'`}`);
  return { healthy: true, body: { temporal: 'ok', worker: 'ok' } };
}

function unhealthy(temporalStatus: string, worker: string): HealthReport {
  return { healthy: false, body: { temporal: temporalStatus, worker } };
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}
