import type { ContextChange, FlowContext } from '../context';
import type { WidgetProperties, WidgetState } from '../definition';
import type { Effect, EffectResult } from '../effects';
import type { StepRecord } from '../execution-state';
import type { StudioRules } from '../studio-rules';

/** How a widget run ended: the Studio event it fires and what it writes to the context. */
export interface WidgetOutcome {
  readonly event: string;
  readonly changes: readonly ContextChange[];
  /** Which of the widget's transitions fired, when several share the event (split-based-on's `match`). */
  readonly transitionIndex?: number;
  /** Steps recorded before this widget's own: a subflow's, which ran inside it. */
  readonly stepsBefore?: readonly StepRecord[];
}

/** A widget either finishes at once or asks for one effect and waits for its result. */
export type WidgetStep =
  | { readonly kind: 'done'; readonly outcome: WidgetOutcome }
  | { readonly kind: 'effect'; readonly effect: Effect };

/** What a handler sees: its widget, the context it was entered with, and a Liquid renderer bound to that context. */
export interface WidgetRun<P extends WidgetProperties = WidgetProperties> {
  readonly widget: WidgetState<P>;
  readonly context: FlowContext;
  readonly render: (template: string) => string;
  /** Unique per widget run and stable across retries and replays (the step SID being run). */
  readonly runId: string;
  /** Studio's semantics the execution was started under (studio-rules.ts); absent for older executions. */
  readonly studio?: StudioRules;
}

/**
 * One Studio widget type: `enter` decides, from rendered properties, whether to finish at once or which effect to
 * ask for; `resume` turns that effect's result into the widget's outcome. Both are pure.
 */
export interface WidgetHandler<P extends WidgetProperties = WidgetProperties> {
  readonly type: string;
  enter(run: WidgetRun<P>): WidgetStep;
  resume?(run: WidgetRun<P>, result: EffectResult): WidgetStep;
}

export const done = (event: string, ...changes: ContextChange[]): WidgetStep => ({ kind: 'done', outcome: { event, changes } });
export const effect = (e: Effect): WidgetStep => ({ kind: 'effect', effect: e });
