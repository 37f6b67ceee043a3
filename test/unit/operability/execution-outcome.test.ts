import type { ExecutionState, StepRecord } from '../../../src/flow/execution-state';
import { executionOutcome } from '../../../src/workflows/execution/metrics';

function ended(lastStep: string, error?: { code: number; message: string }): Pick<ExecutionState, 'steps' | 'context'> {
  const step = { sid: 'FT1', name: lastStep, transitioned_from: 'w', transitioned_to: 'Ended', type: 'send-message', date_created: '' } as StepRecord;
  return { steps: [step], context: { flow: { error } } as unknown as ExecutionState['context'] };
}

describe('studio_executions_ended outcome', () => {
  test.each([
    ['a flow that ran to its end', 'completed', ended('sent')],
    ['a flow that ended through a failure transition of its own', 'completed', ended('failed')],
    ['Status=ended or a cancellation', 'ended', ended('ended')],
    ['the 30-day lifetime', 'expired', ended('expired', { code: 81000, message: 'expired' })],
    ["Studio's step limit", 'failed', ended('sent', { code: 81000, message: "the execution reached Studio's limit of 1000 steps" })],
    ['an unsupported widget', 'failed', ended('failed', { code: 81000, message: 'say-play is not supported' })],
  ])('%s counts as %s', (_what, outcome, state) => {
    expect(executionOutcome(state)).toBe(outcome);
  });
});
