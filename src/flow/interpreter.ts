import { applyChanges, type ContextChange, widgetOutput } from './context';
import type { FlowDefinition, WidgetState } from './definition';
import { type ExecutionStart, initialContext, triggerEvent } from './execution-start';
import type { EffectResult } from './effects';
import { ExecutionNotWaitingError, WidgetNotFoundError } from './errors';
import {
  amendLastStep,
  type Clock,
  EXECUTION_FAILED_CODE,
  type ExecutionState,
  LOOP_GUARD_CODE,
  MAX_CONSECUTIVE_RUNS,
  MAX_STEPS,
  type StepRecord,
} from './execution-state';
import { FlowLimitError } from './limits';
import { renderTemplate, TemplateError } from './liquid';
import { assertStepFits } from './size-checks';
import { activationSpent, metered, startWidgetWork } from './work-meter';
import { FAILURE_EVENTS, WIDGET_HANDLERS } from './widgets/registry';

export type { ExecutionStart, ExecutionTrigger } from './execution-start';
import type { WidgetOutcome, WidgetRun, WidgetStep } from './widgets/widget-handler';

/** Why an execution ended other than by a transition without `next`. */
export interface EndReason {
  /** The terminal step's name: `ended` (Status=ended), `expired` (30 days), `failed`. */
  readonly step: 'ended' | 'expired' | 'failed';
  readonly error?: { readonly code: number; readonly message: string };
}

/** Fires the trigger and runs widgets until one needs an effect or the flow ends. Pure. */
export function startExecution(start: ExecutionStart, clock: Clock): ExecutionState {
  return metered(() => startMetered(start, clock));
}

function startMetered(start: ExecutionStart, clock: Clock): ExecutionState {
  const context = initialContext(start);
  const trigger = start.definition.states.find((s) => s.name === start.definition.initial_state)!;
  const now = start.dateCreated ?? clock.now();
  const state: ExecutionState = {
    sid: start.sid,
    flowSid: start.flowSid,
    flowRevision: start.flowRevision,
    status: 'active',
    context,
    steps: [],
    changes: {},
    runBase: { firstStep: 0, context },
    consecutive: { widget: trigger.name, count: 1 },
    warnings: [],
    dateCreated: now,
    dateUpdated: now,
    ...(start.bounded ? { bounded: true as const } : {}),
    ...(start.studio ? { studio: start.studio } : {}),
  };
  return proceed(start.definition, state, trigger, { event: triggerEvent(start.trigger), changes: [] }, clock.newStepSid(), clock);
}

/** Completes the waiting widget with its effect's result and runs on. Pure. */
export function resumeExecution(flow: FlowDefinition, state: ExecutionState, result: EffectResult, clock: Clock): ExecutionState {
  return metered(() => resumeMetered(flow, state, result, clock));
}

function resumeMetered(flow: FlowDefinition, state: ExecutionState, result: EffectResult, clock: Clock): ExecutionState {
  const current = state.current;
  if (state.status !== 'active' || !current) throw new ExecutionNotWaitingError(state.sid, state.status);
  const widget = widgetNamed(flow, current.widget);
  const handler = WIDGET_HANDLERS.get(widget.type)!;
  // A widget put off to this workflow task (resumeLater) is entered now; any other result completes its widget.
  const run = runOf(widget, state, current.runId);
  const step = guarded(state, widget, () => (result.kind === 'resumedLater' ? handler.enter(run) : handler.resume!(run, result)));
  if ('fatal' in step) return failExecution(state, widget, step.fatal, clock);
  if (step.kind === 'effect') return { ...state, current: { ...current, effect: step.effect } };
  return proceed(flow, { ...state, current: undefined }, widget, step.outcome, current.runId, clock);
}

/** Ends an active execution from outside its flow (Status=ended, a lifetime limit, a failure). Pure. */
export function endExecution(flow: FlowDefinition, state: ExecutionState, reason: EndReason, clock: Clock): ExecutionState {
  if (state.status === 'ended') return state;
  const at = widgetNamed(flow, state.current?.widget ?? state.steps.at(-1)?.transitioned_to ?? flow.initial_state);
  const changes: ContextChange[] = reason.error ? [{ path: ['flow', 'error'], value: reason.error }] : [];
  const step = { sid: state.current?.runId ?? clock.newStepSid(), name: reason.step, from: at, to: undefined };
  return finish(recordStep(state, step, changes, clock));
}

function proceed(flow: FlowDefinition, start: ExecutionState, from: WidgetState, outcome: WidgetOutcome, stepSid: string, clock: Clock): ExecutionState {
  let state = start;
  let [source, result, sid] = [from, outcome, stepSid];
  for (;;) {
    const target = nextWidget(source, result);
    if (result.stepsBefore?.length) state = { ...state, steps: [...state.steps, ...result.stepsBefore] };
    const limited = target !== undefined && ownSteps(state) + 1 >= MAX_STEPS;
    state = recordStep(state, { sid, name: result.event, from: source, to: limited ? undefined : target }, result.changes, clock);
    if (target === undefined) return finish(state);
    if (limited) return failLastStep(state, { code: LOOP_GUARD_CODE, message: `the execution reached Studio's limit of ${MAX_STEPS} steps` });
    const widget = widgetNamed(flow, target);
    const count = state.consecutive.widget === target ? state.consecutive.count + 1 : 1;
    state = { ...state, consecutive: { widget: target, count } };
    if (count > MAX_CONSECUTIVE_RUNS) {
      return failExecution(state, widget, { code: LOOP_GUARD_CODE, message: `widget '${target}' ran ${MAX_CONSECUTIVE_RUNS} times in a row` }, clock);
    }
    const handler = WIDGET_HANDLERS.get(widget.type);
    if (!handler) {
      const message = `widget '${target}' has type '${widget.type}', which studio-temporal does not run`;
      return failExecution(state, widget, { code: EXECUTION_FAILED_CODE, message }, clock);
    }
    sid = clock.newStepSid();
    if (state.bounded && activationSpent()) return { ...state, current: { widget: target, runId: sid, effect: { kind: 'resumeLater' } }, dateUpdated: clock.now() };
    const step = guarded(state, widget, () => handler.enter(runOf(widget, state, sid)));
    if ('fatal' in step) return failExecution(state, widget, step.fatal, clock);
    if (step.kind === 'effect') return { ...state, current: { widget: target, runId: sid, effect: step.effect }, dateUpdated: clock.now() };
    [source, result] = [widget, step.outcome];
  }
}

/**
 * Runs a handler and checks what it produced (size-checks.ts, for executions with `bounded`); a template that does
 * not render, or a value too large to keep, becomes the widget's failure event, or ends the execution.
 */
function guarded(state: ExecutionState, widget: WidgetState, run: () => WidgetStep): WidgetStep | { fatal: { code: number; message: string } } {
  try {
    startWidgetWork();
    const step = run();
    if (state.bounded) assertStepFits(state.context, step);
    return step;
  } catch (err) {
    if (!(err instanceof TemplateError || err instanceof FlowLimitError)) {
      if (!state.bounded) throw err;
      // Anything else is a fault in the widget's code: it ends this execution, naming the widget, whatever it was.
      return { fatal: { code: EXECUTION_FAILED_CODE, message: `widget '${widget.name}' could not run: ${err instanceof Error ? err.message : String(err)}` } };
    }
    const event = FAILURE_EVENTS[widget.type];
    if (!event) return { fatal: { code: EXECUTION_FAILED_CODE, message: `widget '${widget.name}': ${err.message}` } };
    return { kind: 'done', outcome: { event, changes: [widgetOutput(widget.name, { error: err.message })] } };
  }
}

interface PendingStep {
  readonly sid: string;
  readonly name: string;
  readonly from: WidgetState;
  readonly to: string | undefined;
}

function recordStep(state: ExecutionState, step: PendingStep, changes: readonly ContextChange[], clock: Clock): ExecutionState {
  const now = clock.now();
  const record: StepRecord = {
    sid: step.sid,
    name: step.name,
    transitioned_from: step.from.name,
    transitioned_to: step.to ?? 'Ended',
    type: step.from.type,
    date_created: now,
  };
  return {
    ...state,
    context: applyChanges(state.context, changes),
    steps: [...state.steps, record],
    changes: { ...state.changes, [step.sid]: changes },
    dateUpdated: now,
  };
}

function failExecution(state: ExecutionState, at: WidgetState, error: { code: number; message: string }, clock: Clock): ExecutionState {
  const step = { sid: state.current?.runId ?? clock.newStepSid(), name: 'failed', from: at, to: undefined };
  return finish(recordStep({ ...state, current: undefined }, step, [{ path: ['flow', 'error'], value: error }], clock));
}

/** The last step already ends the execution; the error is added to what it changed. */
function failLastStep(state: ExecutionState, error: { code: number; message: string }): ExecutionState {
  return finish(amendLastStep(state, [{ path: ['flow', 'error'], value: error }]));
}

/** Studio's step limit counts the execution's own steps; a subflow's are its own business. */
function ownSteps(state: ExecutionState): number {
  return state.steps.filter((step) => step.parent_step_sid === undefined).length;
}

function finish(state: ExecutionState): ExecutionState {
  return { ...state, status: 'ended', current: undefined };
}

function nextWidget(widget: WidgetState, outcome: WidgetOutcome): string | undefined {
  const transition =
    outcome.transitionIndex !== undefined ? widget.transitions[outcome.transitionIndex] : widget.transitions.find((t) => t.event === outcome.event);
  return transition?.next ? transition.next : undefined;
}

function widgetNamed(flow: FlowDefinition, name: string): WidgetState {
  const widget = flow.states.find((s) => s.name === name);
  if (!widget) throw new WidgetNotFoundError(name);
  return widget;
}

function runOf(widget: WidgetState, state: ExecutionState, runId: string): WidgetRun {
  const { context, studio } = state;
  return { widget, context, runId, studio, render: (template) => renderTemplate(template, context, studio) };
}
