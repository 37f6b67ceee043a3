import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { FlowDefinition } from '../../flow/definition';
import { type ExecutionState, rebaseForNextRun } from '../../flow/execution-state';
import { endExecution, resumeExecution, startExecution } from '../../flow/interpreter';
import { flowStoreActivities } from './activity-proxies';
import { runEffect } from './effect-runner';
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
} from './execution-messages';
import { Inbox } from './inbox';
import { publishExecutionAttributes } from './execution-attributes';
import { locateStepContext, stepPage, viewOf, workflowClock } from './execution-views';

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
  const pinned = input.resume ? { definition: input.resume.definition, revision: input.resume.state.flowRevision } : await pinRevision(input);
  const { definition } = pinned;
  let state: ExecutionState = input.resume?.state ?? guard(() => startExecution(startOf(input, pinned), clock));
  const previousRuns: readonly PreviousRun[] = input.resume?.previousRuns ?? [];
  const inbox = new Inbox(() => state, input.resume?.seenMessageSids ?? [], clock);
  let endRequested = false;
  let deletionPending = false;

  setHandler(getExecutionQuery, () => viewOf(state, input.to));
  setHandler(getStepsQuery, (offset, limit) => stepPage(state, offset, limit));
  setHandler(getStepContextQuery, (stepSid) => locateStepContext(state, previousRuns, stepSid));
  setHandler(incomingMessageSignal, (message) => {
    state = inbox.receive(message);
  });
  const endNow = async () => {
    endRequested = true;
    await condition(() => state.status === 'ended');
    return viewOf(state, input.to);
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
  publishExecutionAttributes(state, input);

  const deadline = Date.parse(state.dateCreated) + LIFETIME_MS;
  while (state.status === 'active') {
    if (endRequested) {
      state = guard(() => endExecution(definition, state, { step: 'ended' }, clock));
      break;
    }
    if (shouldContinueAsNew(input)) await continueAsNewWith(input, definition, state, previousRuns, inbox);
    const outcome = await runEffect(state.current!.effect, { inbox: inbox.pending, interrupted: () => endRequested, deadline });
    if (outcome.kind === 'interrupted') continue;
    state =
      outcome.kind === 'expired'
        ? guard(() => endExecution(definition, state, { step: 'expired' }, clock))
        : guard(() => resumeExecution(definition, state, outcome, clock));
    state = inbox.settle(state);
  }
  log.info('execution ended', { steps: state.steps.length, error: state.context.flow.error });
  await condition(allHandlersFinished);
  if (deletionPending) await condition(() => false, DELETION_GRACE);
  return viewOf(state, input.to);
}

interface Pinned {
  readonly definition: FlowDefinition;
  readonly revision: number;
}

/** The revision the execution runs: given by the starter, or read now (LatestPublished by default) and pinned. */
async function pinRevision(input: ExecutionInput): Promise<Pinned> {
  if (input.definition) return { definition: input.definition, revision: input.flowRevision ?? 0 };
  return flowStoreActivities.resolveFlowRevision(input.flowSid, input.revision ?? 'LatestPublished');
}

function startOf(input: ExecutionInput, pinned: Pinned) {
  return {
    sid: workflowInfo().workflowId,
    flowSid: input.flowSid,
    flowRevision: pinned.revision,
    definition: pinned.definition,
    trigger: input.trigger ?? { kind: 'request' as const, to: input.to, from: input.from, parameters: input.parameters ?? {} },
  };
}

function shouldContinueAsNew(input: ExecutionInput): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > (input.continueAsNewAfterEvents ?? DEFAULT_EVENTS_BEFORE_CONTINUE);
}

async function continueAsNewWith(
  input: ExecutionInput,
  definition: FlowDefinition,
  state: ExecutionState,
  previousRuns: readonly PreviousRun[],
  inbox: Inbox,
): Promise<never> {
  await condition(allHandlersFinished);
  const run: PreviousRun = { runId: workflowInfo().runId, firstStep: state.runBase.firstStep };
  return continueAsNew<typeof executionWorkflow>({
    ...input,
    definition: undefined, // carried once, in `resume`
    resume: { state: rebaseForNextRun(state), definition, previousRuns: [...previousRuns, run], seenMessageSids: inbox.seenSids() },
  });
}

function assertActive(state: ExecutionState): void {
  if (state.status !== 'active') throw ApplicationFailure.nonRetryable(`Execution ${state.sid} has already ended`, 'ExecutionEnded');
}

/**
 * The core is pure and deterministic, so an exception from it is a bug or a definition it cannot run; either way it
 * must fail the execution visibly rather than retry the workflow task forever (a plain Error would).
 */
function guard(step: () => ExecutionState): ExecutionState {
  try {
    return step();
  } catch (err) {
    if (err instanceof ApplicationFailure) throw err;
    throw ApplicationFailure.nonRetryable(err instanceof Error ? err.message : String(err), 'ExecutionCoreError');
  }
}
