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
 * What one Studio widget type is, declared in the widget's own file. The handler registry (registry.ts), the
 * catalog validation reads (widget-catalog.ts) and the README's widget table test are all derived from these.
 */
export interface WidgetFacts {
  /** Studio's `type` string. */
  readonly type: string;
  /** The transition events Studio allows for the type, in the order Studio lists them. */
  readonly events: readonly string[];
  /** Whether this runtime runs it; a flow with one that does not validates with a warning and ends when it gets there. */
  readonly runnable: boolean;
  /**
   * The event taken when the widget cannot run as configured (a template that does not render, a value too large to
   * keep), writing `widgets.<name>.error`. Without one, the execution ends instead.
   */
  readonly failureEvent?: string;
  /**
   * The keys it writes under `widgets.<name>`. `*` stands for keys that come from elsewhere: the ones set-variables
   * sets, a subflow's `flow.variables`, the fields of the Flex Interaction.
   */
  readonly writes: readonly string[];
}

/** The facts of a widget type Studio knows and this runtime does not run (voice widgets, resume-conversation). */
export const notRun = (type: string, ...events: string[]): WidgetFacts => ({ type, events, runnable: false, writes: [] });

/**
 * One Studio widget type this runtime runs: its facts, `enter`, which decides from rendered properties whether to
 * finish at once or which effect to ask for, and `resume`, which turns that effect's result into the widget's
 * outcome. Both are pure.
 */
export interface WidgetHandler<P extends WidgetProperties = WidgetProperties> extends WidgetFacts {
  readonly runnable: true;
  enter(run: WidgetRun<P>): WidgetStep;
  resume?(run: WidgetRun<P>, result: EffectResult): WidgetStep;
}

export const done = (event: string, ...changes: ContextChange[]): WidgetStep => ({ kind: 'done', outcome: { event, changes } });
export const effect = (e: Effect): WidgetStep => ({ kind: 'effect', effect: e });
