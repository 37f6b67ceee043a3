import { metricMeter } from '@temporalio/workflow';
import type { ExecutionState } from '../../flow/execution-state';

/**
 * The product's own metrics, exported by the worker beside Temporal's (Prometheus, METRICS_PORT). Workflow metrics
 * are not emitted while a history replays, so each step and each ending is counted once.
 */
export class ExecutionMetrics {
  private counted: number;
  private readonly steps = metricMeter.createCounter('studio_steps', 'steps', 'Steps executions took, by the widget type that fired and its event');
  private readonly endings = metricMeter.createCounter('studio_executions_ended', 'executions', 'Executions that ended, by how');

  /** `alreadyCounted`: steps an earlier run of this execution counted (continue-as-new carries them over). */
  constructor(
    private readonly kind: 'execution' | 'subflow',
    alreadyCounted: number,
  ) {
    this.counted = alreadyCounted;
  }

  /** Counts the steps taken since the last call: `studio_steps{widget_type, event}`. */
  stepsTaken(state: ExecutionState): void {
    // A subflow's steps are merged into its parent's list once it returns; the subflow counted them itself.
    for (const step of state.steps.slice(this.counted)) {
      if (!step.parent_step_sid) this.steps.add(1, { widget_type: step.type, event: step.name, kind: this.kind });
    }
    this.counted = state.steps.length;
  }

  /** `studio_executions_ended{outcome, kind}`: completed, ended (Status=ended or cancelled), expired or failed. */
  ended(state: ExecutionState): void {
    this.endings.add(1, { outcome: executionOutcome(state), kind: this.kind });
  }
}

/**
 * How an ended execution ended. From outside its flow: a last step named `ended` or `expired` (no widget fires those
 * events). Stopped by a limit or an unsupported widget: flow.error is set. Otherwise its flow ran to an end.
 */
export function executionOutcome(state: Pick<ExecutionState, 'steps' | 'context'>): 'completed' | 'ended' | 'expired' | 'failed' {
  const last = state.steps.at(-1)?.name;
  if (last === 'ended' || last === 'expired') return last;
  return state.context.flow.error ? 'failed' : 'completed';
}
