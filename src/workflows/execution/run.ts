import { allHandlersFinished, ApplicationFailure, condition, continueAsNew, log, patched, sleep, workflowInfo } from '@temporalio/workflow';
import type { PinnedRevision } from '../../activities/flows/resolve-revision';
import type { ChannelContext } from '../../flow/context';
import { twilioDate } from '../../flow/dates';
import type { FlowDefinition } from '../../flow/definition';
import type { InboundMessage } from '../../flow/effects';
import { type Clock, EXECUTION_FAILED_CODE, type ExecutionState, rebaseForNextRun } from '../../flow/execution-state';
import { endExecution, resumeExecution, startExecution } from '../../flow/interpreter';
import { describeBytes, jsonBytes, MAX_CONTINUE_BYTES, recordJsonBytes, STATE_BYTES_BEFORE_CONTINUE } from '../../flow/limits';
import type { ExecutionInput, ExecutionView, PreviousRun, StepContextLocation, StepPage } from '../contracts/execution-messages';
import { locateStepContext, startingView, stepPage, viewOf, workflowClock } from '../contracts/execution-views';
import { publishConversation, publishExecutionAttributes } from './attributes';
import { cleanUp } from './channel';
import { releaseContactLock } from './contact-lock-release';
import { EXECUTION_FAILURE } from '../contracts/failure-types';
import { failedAt, runCore } from './core-guard';
import { runEffect } from './effect-runner';
import { Inbox } from './inbox';
import { triggerMessageSids } from './inbound-trigger';
import { ExecutionMetrics } from './metrics';
import { pinRevision, startOf } from './start';
import type { SubflowHost } from './subflow-effects';
import { SubflowLink } from './subflow-link';
import { widgetLabel } from './summaries';

/** Studio ends an execution that is still active after 30 days. */
const LIFETIME_MS = 30 * 24 * 3600 * 1000;
const DEFAULT_EVENTS_BEFORE_CONTINUE = 4_000;
/** How long an execution being deleted stays open for the delete to arrive (it normally does within milliseconds). */
const DELETION_GRACE = '1 minute';

/**
 * One workflow run of a Studio execution: its state, and the handlers of the signals, queries and updates that read
 * or change it. Handlers and the main loop (executionWorkflow) share this one object; a handler changes the state at
 * the point of the activation where Temporal delivers its message, exactly as the loop sees it on its next read.
 */
export class ExecutionRun {
  private readonly clock: Clock = workflowClock();
  // Undefined only while the first run reads its flow revision; reads and Status=ended work from the start.
  private state: ExecutionState | undefined;
  private readonly previousRuns: readonly PreviousRun[];
  private readonly inbox: Inbox;
  private readonly link: SubflowLink;
  /** Status=ended (an update) arrived: the loop ends the execution at its next turn, and interrupts the widget. */
  endRequested = false;
  private deletionPending = false;
  private closed = false;
  private pinned!: PinnedRevision;
  private metrics!: ExecutionMetrics;
  private deadline = 0;
  /** Each step's changes, measured once (see shouldContinueAsNew). */
  private readonly changeSizes = new WeakMap<object, number>();
  /** What subflow effects need of the execution running them. */
  private readonly host: SubflowHost;

  constructor(private readonly input: ExecutionInput) {
    this.state = input.resume?.state;
    this.previousRuns = input.resume?.previousRuns ?? [];
    this.inbox = new Inbox(() => this.state, input.resume?.seenMessageSids ?? triggerMessageSids(input), this.clock);
    this.link = new SubflowLink(input.trigger?.kind === 'parent');
    // Read when an effect runs, so they see the state of that moment.
    const run = () => this.current;
    this.host = {
      executionSid: workflowInfo().workflowId,
      get context() {
        return run().context;
      },
      get timezone() {
        return run().studio?.timezone;
      },
      childStarted: (workflowId, stepSid) => this.link.childStarted(workflowId, stepSid),
      childEnded: () => this.link.childEnded(),
    };
  }

  /** True while the execution runs its flow. */
  get isActive(): boolean {
    return this.current.status === 'active';
  }

  // ---- queries ----

  /** getExecution: until the flow revision is read (milliseconds, unless the flow store is slow), the execution as it starts. */
  view(): ExecutionView {
    return this.state ? viewOf(this.state, this.input.to, this.closed) : startingView(workflowInfo().workflowId, this.input, twilioDate(workflowInfo().startTime));
  }

  /** getSteps: one page of this run's steps, and the running subflow whose steps are not merged in yet. */
  stepPage(offset: number, limit: number): StepPage {
    return { ...(this.state ? stepPage(this.state, offset, limit) : { steps: [], total: 0 }), activeChild: this.link.activeChild };
  }

  /** getStepContext: where a step's context is kept (this run, an earlier one, or the running subflow). */
  stepContext(stepSid: string): StepContextLocation {
    const location = this.state ? locateStepContext(this.state, this.previousRuns, stepSid) : ({ kind: 'missing' } as const);
    const child = this.link.activeChild; // a running subflow's steps are not merged in yet
    return location.kind === 'missing' && child ? { kind: 'child', workflowId: child.workflowId, parentStepSid: child.stepSid } : location;
  }

  // ---- signals ----

  /** incomingMessage: a reply from the webhook, passed to a running subflow or taken by the inbox. */
  receive(message: InboundMessage): void {
    if (!this.link.forward(message, this.inbox)) this.state = this.inbox.receive(message);
  }

  /** subflowChannel: the running subflow started (or handed off) a conversation. */
  childChannelReported(channel: ChannelContext): void {
    this.link.childChannel = channel;
  }

  // ---- updates ----

  /** endExecution (Status=ended): answers once the execution has ended and cleaned up. */
  async requestEnd(): Promise<ExecutionView> {
    this.endRequested = true;
    await condition(() => this.closed);
    return viewOf(this.state!, this.input.to, this.closed);
  }

  /** prepareDeletion: ends the execution, which then stays open a little for the delete to arrive. */
  prepareDeletion(): Promise<ExecutionView> {
    this.deletionPending = true;
    return this.requestEnd();
  }

  /** The updates' validator: an ended execution refuses them (ExecutionEnded). */
  assertActive(): void {
    const state = this.state;
    if (state?.status === 'ended') throw ApplicationFailure.nonRetryable(`Execution ${state.sid} has already ended`, EXECUTION_FAILURE.ended);
  }

  // ---- the main loop's steps ----

  /** Pins the flow revision (the first run reads it) and starts the execution at its Trigger. */
  async start(): Promise<void> {
    const { input } = this;
    this.pinned = input.resume ? { definition: input.resume.definition, revision: input.resume.state.flowRevision } : await pinRevision(input);
    const current: ExecutionState = this.state ?? this.guard(() => startExecution(startOf(input, this.pinned), this.clock));
    this.state = this.inbox.warnEarly(current);
    if (!input.resume) log.info('execution started', { flowSid: input.flowSid, flowRevision: this.pinned.revision, contact: input.to, subflow: this.link.isSubflow });
    this.metrics = new ExecutionMetrics(this.link.isSubflow ? 'subflow' : 'execution', input.resume?.state.steps.length ?? 0);
    this.metrics.stepsTaken(current);
    if (!this.link.isSubflow) publishExecutionAttributes(current, input, this.pinned.friendlyName);
    this.deadline = Date.parse(current.dateCreated) + LIFETIME_MS;
  }

  /** Runs the current widget's effect and moves the flow on with its result (or ends it when its lifetime ran out). */
  async runWidget(): Promise<void> {
    const { definition } = this;
    const widget = this.current.current!;
    const label = widgetLabel(definition, widget);
    const outcome = await runEffect(widget.effect, { host: this.host, inbox: this.inbox, interrupted: () => this.endRequested, deadline: this.deadline, label });
    const result = outcome.kind === 'interrupted' ? outcome.completed : outcome;
    if (!result) return;
    const latest = this.current; // signals may have added warnings meanwhile
    this.state =
      result.kind === 'expired'
        ? this.guard(() => endExecution(definition, latest, { step: 'expired' }, this.clock))
        : this.guard(() => resumeExecution(definition, latest, result, this.clock));
    this.state = this.inbox.settle(this.state);
    this.metrics.stepsTaken(this.state);
    if (this.link.isSubflow) this.link.reportChannel(this.state);
    else publishConversation(this.state);
  }

  /** Ends the execution from outside its flow (Status=ended, or cancelled from Temporal): its last step is `ended`. */
  end(): void {
    const active = this.current;
    this.state = this.guard(() => endExecution(this.definition, active, { step: 'ended' }, this.clock));
  }

  /** Between widgets: Temporal suggests it, the history is long, or this run's steps wrote much (see limits.ts). */
  shouldContinueAsNew(): boolean {
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > (this.input.continueAsNewAfterEvents ?? DEFAULT_EVENTS_BEFORE_CONTINUE)) return true;
    // What this run's steps wrote is kept for reading their contexts, in queries whose answers must stay small. It is
    // measured before every widget, so each step's changes are measured once (the same size jsonBytes gives, so the
    // decision, and with it the history, is the one it always was).
    const state = this.current;
    return state.bounded === true && recordJsonBytes(state.changes, this.changeSizes) > STATE_BYTES_BEFORE_CONTINUE;
  }

  /** Continues as new; returns only when the next run's input would be too large, having ended the execution failed. */
  async continueAsNew(): Promise<void> {
    const active = this.current;
    const tooLarge = await this.continueAsNewWith(active);
    this.state = failedAt(
      this.definition,
      active,
      { code: EXECUTION_FAILED_CODE, message: `the execution's state is ${describeBytes(tooLarge)}, too large to carry into its next run` },
      this.clock,
    );
  }

  /** However the execution ended, its conversation stops being its channel; then reads and updates see it closed. */
  async cleanUp(): Promise<void> {
    // A subflow's conversation is its parent's to clean up, when the parent ends; a subflow holds no contact lock.
    // The lock is freed alongside the cleanup, so the contact may start again as soon as this execution has ended.
    if (!this.link.isSubflow) [this.state] = await Promise.all([cleanUp(this.current, this.link.childChannel), releaseContactLock(this.input)]);
    this.closed = true;
  }

  /** Counts the steps the end took, and how the execution ended (metrics.ts). */
  recordEnd(): void {
    this.metrics.stepsTaken(this.current);
    this.metrics.ended(this.current);
  }

  /** Waits for the handlers still running (and a pending delete), and returns what the workflow answers. */
  async close(): Promise<ExecutionView> {
    const state = this.current;
    log.info('execution ended', { steps: state.steps.length, error: state.context.flow.error });
    await condition(allHandlersFinished);
    // An update that ended the execution completes in this task; closing the workflow in a later task keeps a
    // concurrent event (an activity finishing) from failing this one, which would fail the caller's update too.
    if (this.endRequested && patched('close-after-update-task')) await sleep(1);
    if (this.deletionPending) await condition(() => false, DELETION_GRACE);
    return { ...viewOf(state, this.input.to, this.closed), steps: this.link.isSubflow ? state.steps : undefined };
  }

  /** The state once the execution has started (start() ran). */
  private get current(): ExecutionState {
    return this.state!;
  }

  private get definition(): FlowDefinition {
    return this.pinned.definition;
  }

  /** One step of the pure core; an exception from it ends the execution instead of failing the task (core-guard.ts). */
  private guard(step: () => ExecutionState): ExecutionState {
    return runCore(step, this.state, this.definition, this.clock);
  }

  /** Continues as new; returns only when the next run's input would be too large for Temporal, with its size. */
  private async continueAsNewWith(state: ExecutionState): Promise<number> {
    await condition(allHandlersFinished);
    const run: PreviousRun = { runId: workflowInfo().runId, firstStep: state.runBase.firstStep };
    const next: ExecutionInput = {
      ...this.input,
      definition: undefined, // carried once, in `resume`
      resume: { state: rebaseForNextRun(state), definition: this.definition, previousRuns: [...this.previousRuns, run], seenMessageSids: this.inbox.seenSids() },
    };
    const size = state.bounded ? jsonBytes(next) : 0;
    if (size > MAX_CONTINUE_BYTES) return size;
    return continueAsNew<(input: ExecutionInput) => Promise<ExecutionView>>(next);
  }
}
