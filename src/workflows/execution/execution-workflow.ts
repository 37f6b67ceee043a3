import { isCancellation, setHandler } from '@temporalio/workflow';
import {
  endExecutionUpdate,
  type ExecutionInput,
  type ExecutionView,
  getExecutionQuery,
  getStepContextQuery,
  getStepsQuery,
  incomingMessageSignal,
  prepareDeletionUpdate,
  subflowChannelSignal,
} from '../contracts/execution-messages';
import { ExecutionRun } from './run';

/**
 * One Studio execution (workflow ID = execution SID). The pure interpreter in src/flow decides; this workflow runs
 * the effects it asks for as activities and timers, takes replies from the webhook as signals, and answers the
 * API's reads as queries. It continues-as-new between widgets long before Temporal's history limits. Its state and
 * the handlers that read or change it are one {@link ExecutionRun}.
 */
export async function executionWorkflow(input: ExecutionInput): Promise<ExecutionView> {
  const run = new ExecutionRun(input);
  setHandler(getExecutionQuery, () => run.view());
  setHandler(getStepsQuery, (offset, limit) => run.stepPage(offset, limit));
  setHandler(getStepContextQuery, (stepSid) => run.stepContext(stepSid));
  setHandler(incomingMessageSignal, (message) => run.receive(message));
  setHandler(subflowChannelSignal, (channel) => run.childChannelReported(channel));
  setHandler(endExecutionUpdate, () => run.requestEnd(), { validator: () => run.assertActive() });
  setHandler(prepareDeletionUpdate, () => run.prepareDeletion(), { validator: () => run.assertActive() });

  await run.start();
  let cancellation: unknown;
  try {
    while (run.isActive) {
      if (run.endRequested) {
        run.end();
        break;
      }
      if (run.shouldContinueAsNew()) {
        await run.continueAsNew();
        break;
      }
      await run.runWidget();
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // Cancelled from Temporal (UI, CLI, a parent): the execution ends here, and its cleanup still runs.
    cancellation = err;
    run.end();
  } finally {
    await run.cleanUp();
  }
  run.recordEnd();
  if (cancellation) throw cancellation;
  return run.close();
}
