import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { workerProbeId, type workerProbeWorkflow } from '../workflows/worker-probe-workflow';
import { WorkerUnavailableError } from './store-errors';
import { isTemporalUnavailable, REFUSED_GRPC_STATUSES, temporalFailureText } from './reply-delivery';

/** gRPC's DEADLINE_EXCEEDED, as the client reports it (directly or as the cause of a ServiceError). */
const DEADLINE_EXCEEDED = 4;
/** gRPC's UNAVAILABLE: Temporal itself does not answer (down, restarting). */
const UNAVAILABLE = 14;
/**
 * gRPC's FAILED_PRECONDITION: a refusal elsewhere (REFUSED_GRPC_STATUSES), but Temporal answers it to a query of a
 * workflow not ready yet, so the probe asks again.
 */
const FAILED_PRECONDITION = 9;
/** Between two probe queries after a failure that may pass (an overloaded server, a workflow not ready yet). */
const RETRY_PAUSE_MS = 200;

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
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        await this.queryProbe(deadline);
        return { alive: true };
      } catch (err) {
        last = err;
        const code = grpcCode(err);
        // Temporal down, a refusal, or no gRPC answer at all: said at once, as before any retry.
        if (code === undefined || code === UNAVAILABLE || (code !== FAILED_PRECONDITION && REFUSED_GRPC_STATUSES.has(code))) {
          return { alive: false, temporalUnavailable: isTemporalUnavailable(err), detail: `the worker probe failed: ${firstLine(err)}` };
        }
        if (isDeadlineExceeded(err)) break;
        // An overloaded or busy server, a workflow not ready: asked again until the probe's deadline.
        await sleep(RETRY_PAUSE_MS);
      }
    }
    // The server may answer its own timeout just before the client's deadline, with another code: either way no
    // worker answered in time; any other last answer is named for the operator.
    const lastAnswer = isDeadlineExceeded(last) ? '' : `; the last answer: ${firstLine(last)}`;
    return { alive: false, detail: `no worker is polling task queue '${this.taskQueue}': none answered within ${PROBE_TIMEOUT_MS / 1000} s${lastAnswer}` };
  }

  /** Queries the queue's probe workflow, starting it first when it does not exist; within `deadline` (epoch ms). */
  private async queryProbe(deadline: number): Promise<void> {
    const workflowId = workerProbeId(this.taskQueue);
    const query = () => this.client.connection.withDeadline(deadline, () => this.client.workflow.getHandle(workflowId).query('__temporal_workflow_metadata'));
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
  }
}

/** The gRPC status code under `err` (the client's ServiceError wraps the gRPC error as its cause), if any. */
function grpcCode(err: unknown): number | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (typeof e.code === 'number') return e.code;
  }
  return undefined;
}

/** The client's message and gRPC's underneath, first line only (for /healthz and logs). */
function firstLine(err: unknown): string {
  return temporalFailureText(err).split('\n')[0] ?? '';
}

/** Whether `err` (or one of its causes) is gRPC's DEADLINE_EXCEEDED. */
export function isDeadlineExceeded(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === DEADLINE_EXCEEDED) return true;
  }
  return false;
}
