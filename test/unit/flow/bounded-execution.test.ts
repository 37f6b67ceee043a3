import type { FlowDefinition, WidgetState } from '../../../src/flow/definition';
import { type Clock, type ExecutionState } from '../../../src/flow/execution-state';
import { endExecution, type ExecutionStart, resumeExecution, startExecution } from '../../../src/flow/interpreter';

function fakeClock(): Clock {
  let sid = 0;
  return { now: () => '2026-01-01T00:00:00Z', newStepSid: () => `FT${String(++sid).padStart(32, '0')}` };
}

type Widget = Partial<WidgetState> & Pick<WidgetState, 'name' | 'type'>;

function flowOf(...widgets: Widget[]): FlowDefinition {
  return {
    initial_state: 'Trigger',
    states: [
      { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingRequest', next: widgets[0]?.name }], properties: {} },
      ...widgets.map((w) => ({ transitions: [], properties: {}, ...w })),
    ],
  };
}

function start(flow: FlowDefinition, parameters = {}, bounded = true, clock = fakeClock()): ExecutionState {
  const input: ExecutionStart = {
    sid: 'FN00000000000000000000000000000001',
    flowSid: 'FW00000000000000000000000000000001',
    flowRevision: 1,
    definition: flow,
    trigger: { kind: 'request', to: '+15550001111', from: '+15559990000', parameters },
    bounded,
  };
  return startExecution(input, clock);
}

const setVariables = (name: string, variables: Array<[string, string]>, next?: string): Widget => ({
  name,
  type: 'set-variables',
  transitions: [{ event: 'next', next }],
  properties: { variables: variables.map(([key, value]) => ({ key, value })) },
});
const stepsOf = (state: ExecutionState) => state.steps.map((s) => [s.name, s.transitioned_from, s.transitioned_to]);
/** 60,000 characters: a 4,000-character parameter written 15 times. */
const SIXTY_KB = '{% for i in (1..15) %}{{flow.data.chunk}}{% endfor %}';
const chunk = 'y'.repeat(4_000);

describe('an execution started with size and work bounds', () => {
  test('when a step would write more than 192 KiB, then the execution ends with flow.error naming the widget, and nothing of it is kept', () => {
    const state = start(flowOf(setVariables('greedy', [['a', SIXTY_KB], ['b', SIXTY_KB]])), { chunk });

    expect(state.status).toBe('ended');
    expect(stepsOf(state).at(-1)).toEqual(['failed', 'greedy', 'Ended']);
    expect(state.context.flow.error).toEqual({ code: 84002, message: expect.stringMatching(/^widget 'greedy': writes 23\d KiB to the context, more than the 192 KiB/) });
    expect(state.context.flow.variables).toEqual({});
  });

  test('when the context would pass 256 KiB, then the widget that grows it ends the execution', () => {
    const flow = flowOf(setVariables('one', [['a', SIXTY_KB]], 'two'), setVariables('two', [['b', SIXTY_KB]], 'three'), setVariables('three', [['c', SIXTY_KB]]));

    const state = start(flow, { chunk });

    expect(stepsOf(state).map((s) => s[0])).toEqual(['incomingRequest', 'next', 'next', 'failed']);
    expect(state.context.flow.error?.message).toMatch(/^widget 'three': would make the execution context 3\d\d KiB, more than the 256 KiB it may hold$/);
  });

  test('when a widget would send more than 128 KiB to an activity, then it takes its failure event instead', () => {
    const parameters = ['a', 'b', 'c'].map((key) => ({ key, value: SIXTY_KB }));
    const flow = flowOf({
      name: 'post',
      type: 'make-http-request',
      transitions: [{ event: 'success' }, { event: 'failed' }],
      properties: { method: 'POST', url: 'https://example.com/hook', content_type: 'application/x-www-form-urlencoded', parameters },
    });

    const state = start(flow, { chunk });

    expect(state.status).toBe('ended');
    expect(stepsOf(state).at(-1)).toEqual(['failed', 'post', 'Ended']);
    expect(state.context.widgets.post).toEqual({ error: expect.stringMatching(/^sends 17\d KiB, more than the 128 KiB a widget may send$/) });
  });

  test('when widgets that need no effect have done their share of work, then the next waits for a new workflow task, and runs then', () => {
    // Each widget renders about 120,000 characters of template (8,000 × 15 loop turns): the second takes the share.
    const heavy = `{% for i in (1..15) %}${'{% if false %}x{% endif %}'.repeat(570)}{% endfor %}done`;
    const flow = flowOf(setVariables('a', [['a', heavy]], 'b'), setVariables('b', [['b', heavy]], 'c'), setVariables('c', [['c', heavy]]));

    const paused = start(flow);

    expect(paused.status).toBe('active');
    expect(paused.current).toEqual({ widget: 'c', runId: expect.stringMatching(/^FT/), effect: { kind: 'resumeLater' } });
    expect(paused.context.flow.variables).toEqual({ a: 'done', b: 'done' });

    const ended = resumeExecution(flow, paused, { kind: 'resumedLater' }, fakeClock());

    expect(ended.status).toBe('ended');
    expect(ended.context.flow.variables).toEqual({ a: 'done', b: 'done', c: 'done' });
    expect(ended.steps.at(-1)).toMatchObject({ sid: paused.current!.runId, name: 'next', transitioned_from: 'c', transitioned_to: 'Ended' });
  });

  test('when widgets that need no effect have written their share into the context, then the next waits for a new workflow task', () => {
    // 60 KB per widget (flow.variables and widgets.<name> each hold a 30 KB value): the sixth waits.
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const flow = flowOf(...names.map((name, i) => setVariables(name, [['v', SIXTY_KB]], names[i + 1])));

    const paused = start(flow, { chunk: 'y'.repeat(2_000) });

    expect(paused.current).toMatchObject({ widget: 'f', effect: { kind: 'resumeLater' } });
    expect(resumeExecution(flow, paused, { kind: 'resumedLater' }, fakeClock()).status).toBe('ended');
  });

  test('when a widget alone does more than its share of work, then it fails, naming the widget', () => {
    const state = start(flowOf(setVariables('explode', [['v', `${'{% for i in (1..250) %}'.repeat(6)}{% if false %}x{% endif %}${'{% endfor %}'.repeat(6)}`]])));

    expect(state.context.flow.error).toEqual({ code: 84002, message: expect.stringMatching(/^widget 'explode': .*does too much work/) });
  });

  test("when a widget's code throws (a result it cannot take), then the execution ends with flow.error naming it", () => {
    const flow = flowOf({ name: 'call', type: 'run-function', transitions: [{ event: 'success' }, { event: 'fail' }], properties: { url: 'https://example.com/fn' } });
    const waiting = start(flow);
    expect(waiting.current?.effect.kind).toBe('http');

    const ended = resumeExecution(flow, waiting, { kind: 'messageSent', message: {} }, fakeClock());

    expect(ended.status).toBe('ended');
    expect(stepsOf(ended).at(-1)).toEqual(['failed', 'call', 'Ended']);
    expect(ended.context.flow.error).toEqual({ code: 84002, message: "widget 'call' could not run: run-function cannot take a messageSent result" });
  });

  test('when the execution started before the bounds (no `bounded`), then it runs as it always did, so its history replays', () => {
    const flow = flowOf({ name: 'call', type: 'run-function', transitions: [{ event: 'success' }, { event: 'fail' }], properties: { url: 'https://example.com/fn' } });
    const waiting = start(flow, {}, false);

    expect(() => resumeExecution(flow, waiting, { kind: 'messageSent', message: {} }, fakeClock())).toThrow('run-function cannot take a messageSent result');
    const unchecked = start(flowOf(setVariables('greedy', [['a', SIXTY_KB], ['b', SIXTY_KB]])), { chunk }, false);
    expect(unchecked.context.flow.error).toBeUndefined();
    expect(endExecution(flow, waiting, { step: 'ended' }, fakeClock()).status).toBe('ended');
  });
});
