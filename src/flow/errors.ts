/**
 * The core's own errors. Each carries what went wrong in readonly fields; its message is the text that ends up in
 * `flow.error` and in workflow histories (core-guard.ts), so a message, once recorded, must not change.
 */

/** Base of the core's errors; `name` is set by each class (not read from the constructor, which bundling may rename). */
export abstract class FlowError extends Error {}

/** A widget's `resume` was handed the result of an effect it never asks for: a bug in the runtime, not the flow. */
export class UnexpectedEffectResultError extends FlowError {
  constructor(
    public readonly widgetType: string,
    public readonly resultKind: string,
  ) {
    super(`${widgetType} cannot take a ${resultKind} result`);
    this.name = 'UnexpectedEffectResultError';
  }
}

/** A transition (or the execution's current widget) names a widget the flow does not have. */
export class WidgetNotFoundError extends FlowError {
  constructor(public readonly widgetName: string) {
    super(`The flow has no widget named '${widgetName}'`);
    this.name = 'WidgetNotFoundError';
  }
}

/** An effect's result arrived for an execution that has ended, or that waits for no effect. */
export class ExecutionNotWaitingError extends FlowError {
  constructor(
    public readonly executionSid: string,
    public readonly status: string,
  ) {
    super(`Execution ${executionSid} is not waiting for an effect`);
    this.name = 'ExecutionNotWaitingError';
  }
}

/** A context change with an empty path: it would replace the whole context, which no widget may do. */
export class EmptyContextPathError extends FlowError {
  /** @param value - the value the change would have written (absent for a removal). */
  constructor(public readonly value: unknown) {
    super('A context change needs a path');
    this.name = 'EmptyContextPathError';
  }
}
