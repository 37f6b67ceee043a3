import type { FlowDefinition, WidgetState } from '../../../src/flow/definition';
import type { EffectResult } from '../../../src/flow/effects';
import { type Clock, contextAtStep, type ExecutionState } from '../../../src/flow/execution-state';
import { endExecution, type ExecutionStart, resumeExecution, startExecution } from '../../../src/flow/interpreter';

/** Deterministic time and step SIDs, as the workflow's are. */
function fakeClock(): Clock {
  let tick = 0;
  let sid = 0;
  return {
    now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)).toISOString().replace('.000', ''),
    newStepSid: () => `FT${String(++sid).padStart(32, '0')}`,
  };
}

function flowOf(...widgets: Array<Partial<WidgetState> & Pick<WidgetState, 'name' | 'type'>>): FlowDefinition {
  const first = widgets[0]?.name;
  return {
    initial_state: 'Trigger',
    states: [
      { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingRequest', next: first }], properties: {} },
      ...widgets.map((w) => ({ transitions: [], properties: {}, ...w })),
    ],
  };
}

function start(flow: FlowDefinition, clock = fakeClock(), parameters = {}): ExecutionState {
  const input: ExecutionStart = {
    sid: 'FN00000000000000000000000000000001',
    flowSid: 'FW00000000000000000000000000000001',
    flowRevision: 3,
    definition: flow,
    trigger: { kind: 'request', to: '+15550001111', from: '+15559990000', parameters },
  };
  return startExecution(input, clock);
}

const stepsOf = (state: ExecutionState) => state.steps.map((s) => [s.name, s.transitioned_from, s.transitioned_to, s.type]);

describe('the interpreter', () => {
  test('when a flow of synchronous widgets runs, then each transition is a step and the last ends', () => {
    const flow = flowOf(
      { name: 'vars', type: 'set-variables', transitions: [{ event: 'next', next: 'branch' }], properties: { variables: [{ key: 'greeting', value: 'hi {{flow.data.name}}' }] } },
      {
        name: 'branch',
        type: 'split-based-on',
        properties: { input: '{{flow.variables.greeting}}' },
        transitions: [
          { event: 'noMatch' },
          { event: 'match', next: 'vars2', conditions: [{ friendly_name: 'x', arguments: ['{{flow.variables.greeting}}'], type: 'starts_with', value: 'hi' }] },
        ],
      },
      { name: 'vars2', type: 'set-variables', transitions: [{ event: 'next' }], properties: { variables: [{ key: 'n', value: '{"a": 1}', parse_as_json: true }] } },
    );

    const state = start(flow, fakeClock(), { name: 'Ada' });

    expect(state.status).toBe('ended');
    expect(stepsOf(state)).toEqual([
      ['incomingRequest', 'Trigger', 'vars', 'trigger'],
      ['next', 'vars', 'branch', 'set-variables'],
      ['match', 'branch', 'vars2', 'split-based-on'],
      ['next', 'vars2', 'Ended', 'set-variables'],
    ]);
    expect(state.context.flow.variables).toEqual({ greeting: 'hi Ada', n: { a: 1 } });
    expect(state.context.widgets).toEqual({ vars: { greeting: 'hi Ada' }, vars2: { n: { a: 1 } } });
    expect(state.context.contact).toEqual({ channel: { address: '+15550001111' } });
    expect(state.context.flow.channel).toEqual({ address: '+15559990000' });
  });

  test('when a widget needs I/O, then the core stops with its effect and resumes with the result', () => {
    const flow = flowOf(
      {
        name: 'lookup',
        type: 'make-http-request',
        transitions: [{ event: 'success', next: 'tell' }, { event: 'failed' }],
        properties: { method: 'GET', url: 'https://api.example.com/orders', parameters: [{ key: 'id', value: '{{flow.data.id}}' }] },
      },
      { name: 'tell', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'Status: {{widgets.lookup.parsed.status}}' } },
    );
    const clock = fakeClock();

    let state = start(flow, clock, { id: '7 & 8' });
    expect(state.current?.effect).toEqual({ kind: 'http', method: 'GET', url: 'https://api.example.com/orders?id=7+%26+8', headers: {}, twilioAuth: false });

    state = resumeExecution(flow, state, { kind: 'http', response: { ok: true, status_code: 200, content_type: 'application/json', body: '{"status":"shipped"}' } }, clock);
    expect(state.current?.effect).toEqual({
      kind: 'sendMessage',
      message: { channel: 'sms', to: '+15550001111', from: '+15559990000', body: 'Status: shipped', mediaUrl: [] },
    });

    state = resumeExecution(flow, state, { kind: 'messageSent', message: { sid: 'SM1', status: 'queued', num_segments: '1' } }, clock);
    expect(state.status).toBe('ended');
    expect(state.context.widgets.tell).toEqual({ outbound: { Sid: 'SM1', Status: 'queued', NumSegments: '1' } });
    expect(stepsOf(state).map((s) => s[0])).toEqual(['incomingRequest', 'success', 'sent']);
    // The step SID of a widget run is the run ID its effect saw.
    expect(state.steps[1]?.sid).toBe('FT00000000000000000000000000000002');
  });

  test.each<[string, EffectResult, string, unknown]>([
    ['a 404', { kind: 'http', response: { ok: true, status_code: 404, content_type: 'text/plain', body: 'nope' } }, 'failed', { status_code: 404, content_type: 'text/plain', body: 'nope' }],
    ['a timeout', { kind: 'http', response: { ok: false, error: 'no response within 10 s' } }, 'failed', { error: 'no response within 10 s' }],
  ])('when the HTTP call gets %s, then make-http-request takes %s', (_what, result, event, output) => {
    const flow = flowOf({ name: 'call', type: 'make-http-request', transitions: [{ event: 'success' }, { event: 'failed' }], properties: { method: 'GET', url: 'https://x.example' } });
    const clock = fakeClock();
    const state = resumeExecution(flow, start(flow, clock), result, clock);
    expect(state.steps.at(-1)?.name).toBe(event);
    expect(state.context.widgets.call).toEqual(output);
  });

  test('when a POST has a JSON content type, then the rendered body is sent as is', () => {
    const flow = flowOf({
      name: 'post',
      type: 'make-http-request',
      properties: { method: 'POST', url: 'https://x.example/leads', content_type: 'application/json', body: '{"to": "{{contact.channel.address}}"}' },
    });
    expect(start(flow).current?.effect).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"to": "+15550001111"}' });
  });

  test('when send-and-wait-for-reply gets a reply, then inbound holds the webhook fields', () => {
    const flow = flowOf({ name: 'ask', type: 'send-and-wait-for-reply', transitions: [{ event: 'incomingMessage' }, { event: 'timeout' }], properties: { body: 'Rate us', timeout: '60' } });
    const clock = fakeClock();
    const waiting = start(flow, clock);
    expect(waiting.current?.effect).toMatchObject({ kind: 'sendMessage', awaitReply: { timeoutSeconds: 60 } });

    const reply = { MessageSid: 'IM1', ConversationSid: 'CH1', Body: '5', Author: '+15550001111', ParticipantSid: 'MB1', Index: '1', Attributes: '{}', DateCreated: 'd', Source: 'SMS' };
    const state = resumeExecution(flow, waiting, { kind: 'reply', sent: { sid: 'IM0' }, reply }, clock);

    expect(state.steps.at(-1)?.name).toBe('incomingMessage');
    expect(state.context.widgets.ask).toEqual({ outbound: { Sid: 'IM0' }, inbound: reply });
  });

  test('when a template does not render, then a widget with a failure event takes it and records why', () => {
    const flow = flowOf({ name: 'tell', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: '{% if %}' } });
    const state = start(flow);
    expect(state.steps.at(-1)).toMatchObject({ name: 'failed', transitioned_from: 'tell', transitioned_to: 'Ended' });
    expect(state.context.widgets.tell).toEqual({ error: expect.stringContaining('Liquid template "{% if %}"') });
  });

  test('when a widget without a failure event cannot render, then the execution ends with the error', () => {
    const flow = flowOf({ name: 'branch', type: 'split-based-on', properties: { input: '{% if %}' }, transitions: [{ event: 'noMatch' }] });
    const state = start(flow);
    expect(state.status).toBe('ended');
    expect(state.context.flow.error).toEqual({ code: 84002, message: expect.stringContaining("widget 'branch': Liquid template") });
    expect(state.steps.at(-1)).toMatchObject({ name: 'failed', transitioned_from: 'branch', transitioned_to: 'Ended' });
  });

  test('when the flow reaches a widget type this runtime does not run, then the execution ends naming it', () => {
    const state = start(flowOf({ name: 'say', type: 'say-play', properties: { say: 'hi' } }));
    expect(state.context.flow.error).toEqual({ code: 84002, message: "widget 'say' has type 'say-play', which studio-temporal does not run" });
    expect(stepsOf(state)).toEqual([
      ['incomingRequest', 'Trigger', 'say', 'trigger'],
      ['failed', 'say', 'Ended', 'say-play'],
    ]);
  });

  test('when a widget loops to itself, then the 11th run in a row is refused with 81000', () => {
    const state = start(flowOf({ name: 'again', type: 'set-variables', transitions: [{ event: 'next', next: 'again' }], properties: {} }));
    expect(state.steps.filter((s) => s.transitioned_from === 'again' && s.name === 'next')).toHaveLength(10);
    expect(state.context.flow.error).toEqual({ code: 81000, message: "widget 'again' ran 10 times in a row" });
  });

  test('when two widgets loop forever, then the execution ends at Studio’s 1,000 steps with 81000', () => {
    const state = start(
      flowOf(
        { name: 'ping', type: 'set-variables', transitions: [{ event: 'next', next: 'pong' }], properties: {} },
        { name: 'pong', type: 'set-variables', transitions: [{ event: 'next', next: 'ping' }], properties: {} },
      ),
    );
    expect(state.steps).toHaveLength(1000);
    expect(state.steps.at(-1)?.transitioned_to).toBe('Ended');
    expect(state.context.flow.error).toEqual({ code: 81000, message: "the execution reached Studio's limit of 1000 steps" });
    expect(contextAtStep(state, 999)?.flow.error).toEqual(state.context.flow.error);
  });

  test('when an execution is ended while a widget waits, then a last step says so from that widget', () => {
    const flow = flowOf({ name: 'ask', type: 'send-and-wait-for-reply', transitions: [{ event: 'incomingMessage' }], properties: { body: 'q' } });
    const clock = fakeClock();
    const waiting = start(flow, clock);
    const state = endExecution(flow, waiting, { step: 'ended' }, clock);
    expect(state.status).toBe('ended');
    expect(state.current).toBeUndefined();
    expect(state.steps.at(-1)).toMatchObject({ sid: waiting.current?.runId, name: 'ended', transitioned_from: 'ask', transitioned_to: 'Ended' });
  });

  test('when a step’s context is asked for, then it is rebuilt from the run base and the changes up to it', () => {
    const flow = flowOf(
      { name: 'a', type: 'set-variables', transitions: [{ event: 'next', next: 'b' }], properties: { variables: [{ key: 'x', value: '1' }] } },
      { name: 'b', type: 'set-variables', transitions: [{ event: 'next' }], properties: { variables: [{ key: 'x', value: '2' }] } },
    );
    const state = start(flow);
    expect(contextAtStep(state, 0)?.flow.variables).toEqual({});
    expect(contextAtStep(state, 1)?.flow.variables).toEqual({ x: '1' });
    expect(contextAtStep(state, 2)).toEqual(state.context);
  });
});
