import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { twilioDate } from '../../flow/dates';
import type { FlowDefinition } from '../../flow/definition';
import { EXECUTION_FAILED_CODE, type ExecutionState, rebaseForNextRun } from '../../flow/execution-state';
import { describeBytes, jsonBytes, MAX_CONTINUE_BYTES, recordJsonBytes, STATE_BYTES_BEFORE_CONTINUE } from '../../flow/limits';
import { failedAt, runCore } from './core-guard';
import { endExecution, resumeExecution, startExecution } from '../../flow/interpreter';
import { runEffect } from './effect-runner';
import { cleanUp, publishConversation } from './execution-channel';
import { releaseContactLock } from './contact-lock-release';
import type { PinnedRevision } from '../../activities/flows/flow-revisions';
import { pinRevision, startOf } from './execution-start';
import {
  endExecutionUpdate,
  type ExecutionInput,
  type ExecutionView,
  getExecutionQuery,
  getStepContextQuery,
  getStepsQuery,
  incomingMessageSignal,
  prepareDeletionUpdate,
  type PreviousRun,
  subflowChannelSignal,
} from './execution-messages';
import { Inbox } from './inbox';
import { publishExecutionAttributes } from './execution-attributes';
import { locateStepContext, startingView, stepPage, viewOf, workflowClock } from './execution-views';
import { ExecutionMetrics } from './execution-metrics';
import { SubflowLink } from './subflow-link';
import { widgetLabel } from './summaries';

/** Studio ends an execution that is still active after 30 days. */
const LIFETIME_MS = 30 * 24 * 3600 * 1000;
const DEFAULT_EVENTS_BEFORE_CONTINUE = 4_000;
/** How long an execution being deleted stays open for the delete to arrive (it normally does within milliseconds). */
const DELETION_GRACE = '1 minute';

/**
 * One Studio execution (workflow ID = execution SID). The pure interpreter in src/flow decides; this workflow runs
 * the effects it asks for as activities and timers, takes replies from the webhook as signals, and answers the
 * API's reads as queries. It continues-as-new between widgets long before Temporal's history limits.
 */
export async function executionWorkflow(input: ExecutionInput): Promise<ExecutionView> {
  const clock = workflowClock();
  // Undefined only while the first run reads its flow revision; reads and Status=ended work from the start.
  let state: ExecutionState | undefined = input.resume?.state;
  const previousRuns: readonly PreviousRun[] = input.resume?.previousRuns ?? [];
  const inbox = new Inbox(() => state, input.resume?.seenMessageSids ?? [], clock);
  let endRequested = false;
  let deletionPending = false;
  let closed = false;
  const link = new SubflowLink(input.trigger?.kind === 'parent');

  // Until the flow revision is read (milliseconds, unless the flow store is slow), reads show the execution as it starts.
  const starting = () => startingView(workflowInfo().workflowId, input, twilioDate(workflowInfo().startTime));
  setHandler(getExecutionQuery, () => (state ? viewOf(state, input.to, closed) : starting()));
  setHandler(getStepsQuery, (offset, limit) => ({ ...(state ? stepPage(state, offset, limit) : { steps: [], total: 0 }), activeChild: link.activeChild }));
  setHandler(getStepContextQuery, (stepSid) => {
    const location = state ? locateStepContext(state, previousRuns, stepSid) : ({ kind: 'missing' } as const);
    const child = link.activeChild; // a running subflow's steps are not merged in yet
    return location.kind === 'missing' && child ? { kind: 'child', workflowId: child.workflowId, parentStepSid: child.stepSid } : location;
  });
  setHandler(incomingMessageSignal, (message) => {
    if (!link.forward(message, inbox)) state = inbox.receive(message);
  });
  setHandler(subflowChannelSignal, (channel) => {
    link.childChannel = channel;
  });
  const endNow = async () => {
    endRequested = true;
    await condition(() => closed);
    return viewOf(state!, input.to, closed);
  };
  setHandler(endExecutionUpdate, endNow, { validator: () => assertActive(state) });
  setHandler(
    prepareDeletionUpdate,
    () => {
      deletionPending = true;
      return endNow();
    },
    { validator: () => assertActive(state) },
  );

  const pinned: PinnedRevision = input.resume ? { definition: input.resume.definition, revision: input.resume.state.flowRevision } : await pinRevision(input);
  const { definition } = pinned;
  const guard = (step: () => ExecutionState) => runCore(step, state, definition, clock);
  const current: ExecutionState = state ?? guard(() => startExecution(startOf(input, pinned), clock));
  state = current;
  if (!input.resume) log.info('execution started', { flowSid: input.flowSid, flowRevision: pinned.revision, contact: input.to, subflow: link.isSubflow });
  const metrics = new ExecutionMetrics(link.isSubflow ? 'subflow' : 'execution', input.resume?.state.steps.length ?? 0);
  metrics.stepsTaken(current);
  if (!link.isSubflow) publishExecutionAttributes(current, input, pinned.friendlyName);
  const host = {
    executionSid: workflowInfo().workflowId,
    get context() {
      return state!.context;
    },
    get timezone() {
      return state!.studio?.timezone;
    },
    childStarted: (workflowId: string, stepSid: string) => link.childStarted(workflowId, stepSid),
    childEnded: () => link.childEnded(),
  };

  const deadline = Date.parse(state.dateCreated) + LIFETIME_MS;
  const changeSizes = new WeakMap<object, number>(); // each step's changes, measured once (see shouldContinueAsNew)
  let cancellation: unknown;
  try {
    while (state.status === 'active') {
      const active: ExecutionState = state;
      if (endRequested) {
        state = guard(() => endExecution(definition, active, { step: 'ended' }, clock));
        break;
      }
      if (shouldContinueAsNew(input, active, changeSizes)) {
        const tooLarge = await continueAsNewWith(input, definition, active, previousRuns, inbox);
        state = failedAt(definition, active, { code: EXECUTION_FAILED_CODE, message: `the execution's state is ${describeBytes(tooLarge)}, too large to carry into its next run` }, clock);
        break;
      }
      const widget = active.current!;
      const label = widgetLabel(definition, widget);
      const outcome = await runEffect(widget.effect, { host, inbox: inbox.pending, ledger: inbox, interrupted: () => endRequested, deadline, label });
      const result = outcome.kind === 'interrupted' ? outcome.completed : outcome;
      if (!result) continue;
      const latest: ExecutionState = state; // signals may have added warnings meanwhile
      state =
        result.kind === 'expired'
          ? guard(() => endExecution(definition, latest, { step: 'expired' }, clock))
          : guard(() => resumeExecution(definition, latest, result, clock));
      state = inbox.settle(state);
      metrics.stepsTaken(state);
      if (link.isSubflow) link.reportChannel(state);
      else publishConversation(state);
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // Cancelled from Temporal (UI, CLI, a parent): the execution ends here, and its cleanup still runs.
    cancellation = err;
    const active = state;
    state = guard(() => endExecution(definition, active, { step: 'ended' }, clock));
  } finally {
    // A subflow's conversation is its parent's to clean up, when the parent ends; a subflow holds no contact lock.
    // The lock is freed alongside the cleanup, so the contact may start again as soon as this execution has ended.
    if (!link.isSubflow) [state] = await Promise.all([cleanUp(state, link.childChannel), releaseContactLock(input)]);
    closed = true;
  }
  metrics.stepsTaken(state);
  metrics.ended(state);
  if (cancellation) throw cancellation;
  log.info('execution ended', { steps: state.steps.length, error: state.context.flow.error });
  await condition(allHandlersFinished);
  // An update that ended the execution completes in this task; closing the workflow in a later task keeps a
  // concurrent event (an activity finishing) from failing this one, which would fail the caller's update too.
  if (endRequested && patched('close-after-update-task')) await sleep(1);
  if (deletionPending) await condition(() => false, DELETION_GRACE);
  return { ...viewOf(state, input.to, closed), steps: link.isSubflow ? state.steps : undefined };
}

function shouldContinueAsNew(input: ExecutionInput, state: ExecutionState, changeSizes: WeakMap<object, number>): boolean {
  const info = workflowInfo();
  if (info.continueAsNewSuggested || info.historyLength > (input.continueAsNewAfterEvents ?? DEFAULT_EVENTS_BEFORE_CONTINUE)) return true;
  // What this run's steps wrote is kept for reading their contexts, in queries whose answers must stay small. It is
  // measured before every widget, so each step's changes are measured once (the same size jsonBytes gives, so the
  // decision, and with it the history, is the one it always was).
  return state.bounded === true && recordJsonBytes(state.changes, changeSizes) > STATE_BYTES_BEFORE_CONTINUE;
}

/** Continues as new; returns only when the next run's input would be too large for Temporal, with its size. */
async function continueAsNewWith(
  input: ExecutionInput,
  definition: FlowDefinition,
  state: ExecutionState,
  previousRuns: readonly PreviousRun[],
  inbox: Inbox,
): Promise<number> {
  await condition(allHandlersFinished);
  const run: PreviousRun = { runId: workflowInfo().runId, firstStep: state.runBase.firstStep };
  const next: ExecutionInput = {
    ...input,
    definition: undefined, // carried once, in `resume`
    resume: { state: rebaseForNextRun(state), definition, previousRuns: [...previousRuns, run], seenMessageSids: inbox.seenSids() },
  };
  const size = state.bounded ? jsonBytes(next) : 0;
  if (size > MAX_CONTINUE_BYTES) return size;
  return continueAsNew<typeof executionWorkflow>(next);
}

function assertActive(state: ExecutionState | undefined): void {
  if (state?.status === 'ended') throw ApplicationFailure.nonRetryable(`Execution ${state.sid} has already ended`, 'ExecutionEnded');
}
