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
 * So one activation does at most about WIDGET_WORK + ACTIVATION_WORK units: ~0.3 s of plain Node, measured at
 * about four times that inside the workflow sandbox. The counts are deterministic (no clock), so replays decide alike.
 *
 * The meter is module state: interpreter calls are synchronous, so none interleaves with another workflow's.
 */
export const WIDGET_WORK = 500_000;
export const ACTIVATION_WORK = 500_000;

let spent = 0;
let widgetStart = 0;
let metering = false;

/** Runs one interpreter call with a fresh meter. */
export function metered<T>(run: () => T): T {
  spent = 0;
  widgetStart = 0;
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

/** True once this call spent its share; the next widget waits for a new workflow task. */
export function activationSpent(): boolean {
  return spent > ACTIVATION_WORK;
}

/** Counts `units` of work; throws FlowLimitError once the widget running went past {@link WIDGET_WORK}. */
export function chargeWork(units: number): void {
  spent += units;
  if (spent - widgetStart > WIDGET_WORK) {
    throw new FlowLimitError(`does too much work (more than ${WIDGET_WORK} units, about a character of template rendered each, loops counted each time round)`);
  }
}
