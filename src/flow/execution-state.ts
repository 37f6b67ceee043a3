import type { StudioRules } from './studio-rules';
import { applyChanges, type ContextChange, type FlowContext } from './context';
import type { Effect } from './effects';

/** Studio's limits (studio-spec §4.6). */
export const MAX_STEPS = 1000;
export const MAX_CONSECUTIVE_RUNS = 10;
/** Studio's code for an execution stopped by its infinite-loop guards (step count, same widget in a row). */
export const LOOP_GUARD_CODE = 81000;
/** Our code for any other runtime end: an unsupported widget, a template that does not render, a lost effect. */
export const EXECUTION_FAILED_CODE = 84002;

/** One Studio step: a widget fired `name` and the execution moved from `transitioned_from` to `transitioned_to`. */
export interface StepRecord {
  readonly sid: string;
  /** The event that led out of `transitioned_from` (`incomingRequest`, `sent`, …). */
  readonly name: string;
  readonly transitioned_from: string;
  /** The next widget, or `Ended`. */
  readonly transitioned_to: string;
  /** Type of the widget that fired the event. */
  readonly type: string;
  readonly date_created: string;
  /** Set on a subflow's steps: the parent's run-subflow step. */
  readonly parent_step_sid?: string;
  /** Set on a subflow's steps: the child execution (workflow ID) that holds their contexts. */
  readonly child_execution?: string;
}

export interface ExecutionWarning {
  readonly code: number;
  readonly message: string;
  readonly date: string;
}

/** The widget being run and the effect it waits for. */
export interface CurrentWidget {
  readonly widget: string;
  /** Unique per widget run (the SID its step will have), stable on replay: effects use it as idempotency key. */
  readonly runId: string;
  readonly effect: Effect;
}

/** Everything an execution is, as plain JSON: the workflow holds it and carries it across continue-as-new. */
export interface ExecutionState {
  readonly sid: string;
  readonly flowSid: string;
  readonly flowRevision: number;
  readonly status: 'active' | 'ended';
  readonly context: FlowContext;
  readonly current?: CurrentWidget;
  /** Every step's summary, from the first run on. */
  readonly steps: readonly StepRecord[];
  /** What each step of this run changed in the context, by step SID; earlier runs keep their own. */
  readonly changes: Readonly<Record<string, readonly ContextChange[]>>;
  /** The context this run started from: the first step index it holds changes for, and the context before it. */
  readonly runBase: { readonly firstStep: number; readonly context: FlowContext };
  /** The widget entered last and how many times in a row. */
  readonly consecutive: { readonly widget: string; readonly count: number };
  readonly warnings: readonly ExecutionWarning[];
  readonly dateCreated: string;
  readonly dateUpdated: string;
  /**
   * Set on executions started since the size limits of limits.ts exist (patch `bounded-flow-code`): what each widget
   * writes and sends is checked. Executions started before run on unchecked, so their histories replay unchanged.
   */
  readonly bounded?: true;
  /**
   * Set on executions started since Studio's splits, types, Liquid output and time zone are followed (patch
   * `studio-fidelity`, studio-rules.ts), with the zone pinned at start. Executions started before keep the old rules.
   */
  readonly studio?: StudioRules;
}

/** Deterministic sources the core needs: inside a workflow they come from workflow time and `uuid4()`. */
export interface Clock {
  now(): string;
  newStepSid(): string;
}

/** The context as of step `index` (0-based), rebuilt from this run's base and the changes after it. */
export function contextAtStep(state: ExecutionState, index: number): FlowContext | undefined {
  if (index < state.runBase.firstStep || index >= state.steps.length) return undefined;
  let context = state.runBase.context;
  for (let i = state.runBase.firstStep; i <= index; i++) context = applyChanges(context, state.changes[state.steps[i]!.sid] ?? []);
  return context;
}

/** A state for continue-as-new: the same execution, whose new run starts from the current context. */
export function rebaseForNextRun(state: ExecutionState): ExecutionState {
  return { ...state, changes: {}, runBase: { firstStep: state.steps.length, context: state.context } };
}

/** Adds changes to the context and to what the last step wrote, so that step's context stays the final one. */
export function amendLastStep(state: ExecutionState, changes: readonly ContextChange[]): ExecutionState {
  const last = state.steps.at(-1);
  const context = applyChanges(state.context, changes);
  if (!last) return { ...state, context };
  return { ...state, context, changes: { ...state.changes, [last.sid]: [...(state.changes[last.sid] ?? []), ...changes] } };
}

/** The conversation channel is no longer the flow's: the execution ended, or it was handed off. */
export function closeChannel(state: ExecutionState, status: 'ended' | 'handed_off'): ExecutionState {
  return amendLastStep(state, [{ path: ['flow', 'channel', 'status'], value: status }]);
}
