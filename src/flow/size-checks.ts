import { applyChanges, type FlowContext } from './context';
import { describeBytes, FlowLimitError, jsonBytes, MAX_CONTEXT_BYTES, MAX_EFFECT_BYTES, MAX_STEP_WRITE_BYTES } from './limits';
import { chargeWork, noteWritten } from './work-meter';
import type { WidgetStep } from './widgets/widget-handler';

/**
 * Checks what a widget run produced against limits.ts before the execution keeps it: the effect it asks for (it
 * becomes an activity's input), or what it writes (it stays in the context, every later step's view and history).
 * Throws FlowLimitError; the interpreter turns that into the widget's failure event, or ends the execution.
 */
export function assertStepFits(context: FlowContext, step: WidgetStep): void {
  if (step.kind === 'effect') {
    const size = measured(step.effect);
    if (size > MAX_EFFECT_BYTES) throw new FlowLimitError(`sends ${describeBytes(size)}, more than the ${describeBytes(MAX_EFFECT_BYTES)} a widget may send`);
    return;
  }
  const { changes } = step.outcome;
  if (changes.length === 0) return;
  const written = measured(changes.map((change) => change.value ?? null));
  noteWritten(written);
  if (written > MAX_STEP_WRITE_BYTES) {
    throw new FlowLimitError(`writes ${describeBytes(written)} to the context, more than the ${describeBytes(MAX_STEP_WRITE_BYTES)} one step may write`);
  }
  const size = measured(applyChanges(context, changes));
  if (size > MAX_CONTEXT_BYTES) {
    throw new FlowLimitError(`would make the execution context ${describeBytes(size)}, more than the ${describeBytes(MAX_CONTEXT_BYTES)} it may hold`);
  }
}

/** Measuring is work too: a context near its limit, checked on each of 1,000 quick steps, adds up. */
function measured(value: unknown): number {
  const size = jsonBytes(value);
  chargeWork(size / 8);
  return size;
}
