import { applyChanges } from '../../../src/flow/context';
import type { FlowDefinition } from '../../../src/flow/definition';
import { EmptyContextPathError, ExecutionNotWaitingError, UnexpectedEffectResultError, WidgetNotFoundError } from '../../../src/flow/errors';
import type { Clock, ExecutionState } from '../../../src/flow/execution-state';
import { endExecution, resumeExecution, startExecution } from '../../../src/flow/interpreter';

const clock = (): Clock => {
  let sid = 0;
  return { now: () => '2026-01-01T00:00:00Z', newStepSid: () => `FT${String(++sid).padStart(32, '0')}` };
};

const flow: FlowDefinition = {
  initial_state: 'Trigger',
  states: [
    { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingRequest', next: 'call' }], properties: {} },
    { name: 'call', type: 'run-function', transitions: [{ event: 'success' }, { event: 'fail' }], properties: { url: 'https://example.com/fn' } },
  ],
};

function waiting(): ExecutionState {
  const trigger = { kind: 'request' as const, to: '+15550001111', from: '+15559990000', parameters: {} };
  return startExecution({ sid: 'FN00000000000000000000000000000001', flowSid: 'FW00000000000000000000000000000001', flowRevision: 1, definition: flow, trigger }, clock());
}

/** Thrown messages reach `flow.error` and workflow histories (core-guard.ts): the text stays as it was recorded. */
describe("the core's errors", () => {
  test('when a widget is handed a result it never asks for, then UnexpectedEffectResultError names its type and the result', () => {
    const error = catchOf(() => resumeExecution(flow, waiting(), { kind: 'messageSent', message: {} }, clock()));

    expect(error).toBeInstanceOf(UnexpectedEffectResultError);
    expect(error).toMatchObject({ name: 'UnexpectedEffectResultError', widgetType: 'run-function', resultKind: 'messageSent' });
    expect(error.message).toBe('run-function cannot take a messageSent result');
  });

  test('when a result arrives for an ended execution, then ExecutionNotWaitingError carries its SID and status', () => {
    const ended = endExecution(flow, waiting(), { step: 'ended' }, clock());
    const error = catchOf(() => resumeExecution(flow, ended, { kind: 'messageSent', message: {} }, clock()));

    expect(error).toBeInstanceOf(ExecutionNotWaitingError);
    expect(error).toMatchObject({ name: 'ExecutionNotWaitingError', executionSid: 'FN00000000000000000000000000000001', status: 'ended' });
    expect(error.message).toBe('Execution FN00000000000000000000000000000001 is not waiting for an effect');
  });

  test('when the execution stands on a widget the flow no longer has, then WidgetNotFoundError names it', () => {
    const error = catchOf(() => endExecution({ ...flow, states: flow.states.slice(0, 1) }, waiting(), { step: 'ended' }, clock()));

    expect(error).toBeInstanceOf(WidgetNotFoundError);
    expect(error).toMatchObject({ name: 'WidgetNotFoundError', widgetName: 'call' });
    expect(error.message).toBe("The flow has no widget named 'call'");
  });

  test('when a context change has no path, then EmptyContextPathError carries the value it would have written', () => {
    const error = catchOf(() => applyChanges(waiting().context, [{ path: [], value: 'x' }]));

    expect(error).toBeInstanceOf(EmptyContextPathError);
    expect(error).toMatchObject({ name: 'EmptyContextPathError', value: 'x' });
    expect(error.message).toBe('A context change needs a path');
  });
});

function catchOf(run: () => unknown): Error {
  try {
    run();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to throw');
}
