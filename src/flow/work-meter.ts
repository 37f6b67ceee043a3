import { FlowLimitError } from './limits';

/**
 * How much work flow code did in the current call of the interpreter, in units of about one character of template
 * rendered. Temporal runs each workflow activation under a 5 s limit and crashes the worker past it, and one
 * activation can run many widgets (every widget that needs no effect runs at once), so work is bounded twice:
 *
 * - per widget run: {@link WIDGET_WORK} units; more fails the widget (its failure event, or the execution ends);
 * - per interpreter call: once {@link ACTIVATION_WORK} units are spent, the next widget waits for a new workflow
 *   task (a `resumeLater` effect) instead of running in this one.
 *
 * The next widget also waits once the call's steps wrote {@link ACTIVATION_WRITES} into the context: what steps
 * write is kept for reading their contexts, and the workflow continues-as-new between tasks once it grows large.
 *
 * So one activation does at most about WIDGET_WORK + ACTIVATION_WORK units: ~0.15 s of plain Node; inside the
 * workflow sandbox, on a 2-core machine under a load of 10, such workflow tasks took 0.3-0.6 s (1.1 s for a cold
 * worker's first), against Temporal's 5 s. The counts are deterministic (no clock), so replays decide alike.
 *
 * The meter is module state: interpreter calls are synchronous, so none interleaves with another workflow's.
 */
export const WIDGET_WORK = 500_000;
export const ACTIVATION_WORK = 200_000;
/** UTF-8 bytes of context writes per interpreter call. */
export const ACTIVATION_WRITES = 256 * 1024;

let spent = 0;
let widgetStart = 0;
let written = 0;
let metering = false;

/** Runs one interpreter call with a fresh meter. */
export function metered<T>(run: () => T): T {
  spent = 0;
  widgetStart = 0;
  written = 0;
  metering = true;
  try {
    return run();
  } finally {
    metering = false;
  }
}

/** Starts a widget run within the call. */
export function startWidgetWork(): void {
  widgetStart = spent;
}

/** Starts a render or a match: outside an interpreter call (tools, tests), each has a widget's budget to itself. */
export function startStandaloneWork(): void {
  if (!metering) widgetStart = spent;
}

/** True once this call spent its share of work or writes; the next widget waits for a new workflow task. */
export function activationSpent(): boolean {
  return spent > ACTIVATION_WORK || written > ACTIVATION_WRITES;
}

/** Counts bytes a step wrote into the context. */
export function noteWritten(bytes: number): void {
  written += bytes;
}

/** Counts `units` of work; throws FlowLimitError once the widget running went past {@link WIDGET_WORK}. */
export function chargeWork(units: number): void {
  spent += units;
  if (spent - widgetStart > WIDGET_WORK) {
    throw new FlowLimitError(`does too much work (more than ${WIDGET_WORK} units, about a character of template rendered each, loops counted each time round)`);
  }
}
