import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { workerProbeId, type workerProbeWorkflow } from '../workflows/worker-probe-workflow';
import { WorkerUnavailableError } from './store-errors';
import { isTemporalUnavailable } from './reply-delivery';

/** gRPC's DEADLINE_EXCEEDED, as the client reports it (directly or as the cause of a ServiceError). */
const DEADLINE_EXCEEDED = 4;

/**
 * A worker answers the probe in milliseconds when idle; a busy one (a full slot of workflow tasks, a worker that has
 * just started and runs the probe workflow's first task) can take seconds on a loaded 2-core machine, where 2 s
 * gave false "no worker" answers. None within this is "no worker": still far below the 10 s query deadline.
 */
export const PROBE_TIMEOUT_MS = 5_000;
/** A probe's answer stands this long, so health checks and reads in bursts cost one probe. */
const ANSWER_LIFETIME_MS = 2_000;

export interface Liveness {
  readonly alive: boolean;
  /** Why not alive, for /healthz and logs. */
  readonly detail?: string;
  /** Not alive because Temporal did not answer at all (not because no worker did). */
  readonly temporalUnavailable?: boolean;
}

/**
 * Whether a worker serves the task queue now, known within {@link PROBE_TIMEOUT_MS}: the answer is a query of the
 * queue's probe workflow (see workerProbeWorkflow), started when it does not exist (first use, or removed by the
 * namespace's retention). Answers are kept {@link ANSWER_LIFETIME_MS}; concurrent callers share one probe.
 */
export class WorkerLiveness {
  private answer?: { readonly liveness: Liveness; readonly until: number };
  private probing?: Promise<Liveness>;

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  async check(): Promise<Liveness> {
    if (this.answer && Date.now() < this.answer.until) return this.answer.liveness;
    this.probing ??= this.probe()
      .then((liveness) => {
        // A probe Temporal itself could not take (down, restarting) says nothing about workers: not kept, so the
        // first call once Temporal is back asks again instead of answering 503 from the outage.
        this.answer = liveness.temporalUnavailable ? undefined : { liveness, until: Date.now() + ANSWER_LIFETIME_MS };
        return liveness;
      })
      .finally(() => (this.probing = undefined));
    return this.probing;
  }

  /** Throws WorkerUnavailableError (the API's 503) when no worker answers for `what`. */
  async assertAlive(what: string): Promise<void> {
    const liveness = await this.check();
    if (!liveness.alive) throw new WorkerUnavailableError(what, liveness.temporalUnavailable);
  }

  private async probe(): Promise<Liveness> {
    const deadline = Date.now() + PROBE_TIMEOUT_MS;
    const workflowId = workerProbeId(this.taskQueue);
    const query = () => this.client.connection.withDeadline(deadline, () => this.client.workflow.getHandle(workflowId).query('__temporal_workflow_metadata'));
    try {
      try {
        await query();
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        await this.client.connection.withDeadline(deadline, () =>
          this.client.workflow.start<typeof workerProbeWorkflow>('workerProbeWorkflow', {
            workflowId,
            taskQueue: this.taskQueue,
            workflowIdConflictPolicy: 'USE_EXISTING',
            staticSummary: `Worker probe of task queue ${this.taskQueue}: the API queries it to learn whether a worker runs`,
          }),
        );
        await query();
      }
      return { alive: true };
    } catch (err) {
      if (isDeadlineExceeded(err)) return { alive: false, detail: `no worker is polling task queue '${this.taskQueue}': none answered within ${PROBE_TIMEOUT_MS / 1000} s` };
      return { alive: false, temporalUnavailable: isTemporalUnavailable(err), detail: `the worker probe failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
    }
  }
}

/** Whether `err` (or one of its causes) is gRPC's DEADLINE_EXCEEDED. */
export function isDeadlineExceeded(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === DEADLINE_EXCEEDED) return true;
  }
  return false;
}
