import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateFlow, validateFlowText } from '../../../src/flow/validation/validate-flow';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test fixtures are free-form JSON

/** A small valid flow: Trigger → (incomingRequest) → the given widget at #/states/1. */
function flowWith(widget: Json, extra: Json[] = []): Json {
  return {
    description: 'test',
    states: [
      {
        name: 'Trigger',
        type: 'trigger',
        transitions: [{ event: 'incomingRequest', next: widget.name }, { event: 'incomingMessage' }],
        properties: { offset: { x: 0, y: 0 } },
      },
      widget,
      ...extra,
    ],
    initial_state: 'Trigger',
    flags: { allow_concurrent_calls: true },
  };
}

const sendMessage = (over: Json = {}): Json => ({
  name: 'say_hi',
  type: 'send-message',
  transitions: [{ event: 'sent' }, { event: 'failed' }],
  properties: { body: 'hi', to: '{{contact.channel.address}}', from: '{{flow.channel.address}}', ...over },
});

const startConversation = (over: Json = {}, participant: Json = {}): Json => ({
  name: 'start',
  type: 'start-conversation',
  transitions: [{ event: 'created' }, { event: 'failed' }],
  properties: {
    participants: [{ type: 'sms', messaging_binding_address: '+15551230000', messaging_binding_proxy_address: '+15559870000', ...participant }],
    ...over,
  },
});

/** Expects exactly one error, at `path` with `message`. */
function expectOnlyError(flow: Json, property_path: string, message: string): void {
  const result = validateFlow(flow);
  expect(result.valid).toBe(false);
  expect(result.errors).toEqual([{ property_path, message }]);
}

describe('validateFlow: structure (JSON Schema)', () => {
  test('when initial_state and states are missing, then both are reported as required', () => {
    expect(validateFlow({}).errors).toEqual([
      { property_path: '#/initial_state', message: 'is missing but it is required' },
      { property_path: '#/states', message: 'is missing but it is required' },
    ]);
  });

  test('when the top level has an unknown key, then it is rejected at its path', () => {
    expectOnlyError({ ...flowWith(sendMessage()), owner: 'me' }, '#/owner', 'is not defined in the schema and the schema does not allow additional properties');
  });

  test('when states is empty, then the minimum is reported', () => {
    expectOnlyError({ states: [], initial_state: 'Trigger' }, '#/states', 'there must be a minimum of 1 items in the array');
  });

  test('when flags lacks allow_concurrent_calls, then it is required', () => {
    expectOnlyError({ ...flowWith(sendMessage()), flags: {} }, '#/flags/allow_concurrent_calls', 'is missing but it is required');
  });

  test('when a widget type is unknown, then the enumeration error names the path', () => {
    const errors = validateFlow(flowWith({ ...sendMessage(), type: 'send-fax' })).errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]?.property_path).toBe('#/states/1/type');
    expect(errors[0]?.message).toMatch(/^does not have a value in the enumeration \[trigger, set-variables, .*send-message/);
  });

  test('when a transition event is not the widget type’s own, then the allowed events are listed', () => {
    const widget = sendMessage();
    widget.transitions = [{ event: 'success' }];
    expectOnlyError(flowWith(widget), '#/states/1/transitions/0/event', 'does not have a value in the enumeration [sent, failed]');
  });

  test('when a property has the wrong JSON type, then Studio’s "x found, y expected" message is given', () => {
    expectOnlyError(flowWith(sendMessage({ body: 42 })), '#/states/1/properties/body', 'integer found, string expected');
  });

  test('when a timeout is a fraction, then it is neither integer nor string', () => {
    const widget = { name: 'ask', type: 'send-and-wait-for-reply', transitions: [{ event: 'incomingMessage' }], properties: { body: 'q', timeout: 1.5 } };
    expectOnlyError(flowWith(widget), '#/states/1/properties/timeout', 'number found, integer or string expected');
  });

  test('when a required widget property is missing, then its own path is reported', () => {
    const widget = { name: 'call_api', type: 'make-http-request', transitions: [{ event: 'success' }], properties: { method: 'GET' } };
    expectOnlyError(flowWith(widget), '#/states/1/properties/url', 'is missing but it is required');
  });

  test('when an HTTP method is not GET or POST, then the enumeration is reported', () => {
    const widget = { name: 'call_api', type: 'make-http-request', transitions: [{ event: 'success' }], properties: { method: 'PUT', url: 'https://x' } };
    expectOnlyError(flowWith(widget), '#/states/1/properties/method', 'does not have a value in the enumeration [GET, POST]');
  });

  test('when a split condition uses an unknown operator, then the 17 operators are listed', () => {
    const split = {
      name: 'branch',
      type: 'split-based-on',
      transitions: [{ event: 'noMatch' }, { event: 'match', conditions: [{ friendly_name: 'x', arguments: ['{{a}}'], type: 'sounds_like', value: 'a' }] }],
      properties: { input: '{{a}}' },
    };
    const [error] = validateFlow(flowWith(split)).errors;
    expect(error?.property_path).toBe('#/states/1/transitions/1/conditions/0/type');
    expect(error?.message).toBe(
      'does not have a value in the enumeration [equal_to, not_equal_to, matches_any_of, does_not_match_any_of, contains, ' +
        'does_not_contain, starts_with, does_not_start_with, is_blank, is_not_blank, regex, less_than, greater_than, ' +
        'is_before_date, is_after_date, is_before_time, is_after_time]',
    );
  });

  test.each([
    ['a backreference', '(a)\\1', 'invalid escape sequence'],
    ['a lookahead', '(?=a)a', 'invalid or unsupported Perl syntax'],
    ['a pattern that is not a regex', '(unclosed', 'missing closing )'],
  ])('when a regex condition has %s, which RE2 cannot match, then it is reported on the condition', (_, value, reason) => {
    const split = {
      name: 'branch',
      type: 'split-based-on',
      transitions: [{ event: 'noMatch' }, { event: 'match', conditions: [{ friendly_name: 'x', arguments: ['{{a}}'], type: 'regex', value }] }],
      properties: { input: '{{a}}' },
    };
    const { errors } = validateFlow(flowWith(split));
    expect(errors).toEqual([{ property_path: '#/states/1/transitions/1/conditions/0/value', message: expect.stringContaining(reason) }]);
    expect(errors[0]!.message).toMatch(/^is not a regex this runtime can match \(it would never match\): /);
  });

  test('when a regex condition is linear-time, or a Liquid template, then it is accepted', () => {
    const conditions = ['(a+)+$', '(?<year>\\d{4})', '{{flow.data.pattern}}'].map((value) => ({ friendly_name: 'x', arguments: ['{{a}}'], type: 'regex', value }));
    const split = { name: 'branch', type: 'split-based-on', transitions: [{ event: 'noMatch' }, { event: 'match', conditions }], properties: { input: '{{a}}' } };
    expect(validateFlow(flowWith(split)).errors).toEqual([]);
  });

  test('when a chat participant has no identity, then identity is required', () => {
    expectOnlyError(flowWith(startConversation({}, { type: 'chat' })), '#/states/1/properties/participants/0/identity', 'is missing but it is required');
  });

  test('when an SMS participant has no proxy address, then it is required', () => {
    const widget = startConversation();
    delete widget.properties.participants[0].messaging_binding_proxy_address;
    expectOnlyError(flowWith(widget), '#/states/1/properties/participants/0/messaging_binding_proxy_address', 'is missing but it is required');
  });
});

describe('validateFlow: semantics (code)', () => {
  test('when two widgets share a name, then the second is reported and the first named', () => {
    expectOnlyError(flowWith(sendMessage(), [sendMessage()]), '#/states/2/name', "widget name 'say_hi' is already used by #/states/1");
  });

  test('when there is no trigger, then the count is reported', () => {
    const flow = flowWith(sendMessage());
    flow.states = flow.states.slice(1);
    flow.initial_state = 'say_hi';
    const errors = validateFlow(flow).errors;
    expect(errors).toContainEqual({ property_path: '#/states', message: 'a flow needs exactly one trigger widget; found 0' });
  });

  test('when there are two triggers, then the count is reported', () => {
    const flow = flowWith(sendMessage(), [{ name: 'Trigger2', type: 'trigger', transitions: [], properties: {} }]);
    expectOnlyError(flow, '#/states', 'a flow needs exactly one trigger widget; found 2');
  });

  test('when initial_state names no widget, then it is reported', () => {
    expectOnlyError({ ...flowWith(sendMessage()), initial_state: 'Start' }, '#/initial_state', "names no widget: 'Start'");
  });

  test('when initial_state names a widget that is not the trigger, then it is reported', () => {
    expectOnlyError({ ...flowWith(sendMessage()), initial_state: 'say_hi' }, '#/initial_state', "must name the trigger widget, not 'say_hi'");
  });

  test('when a transition points at a widget that does not exist, then its next is reported', () => {
    const widget = sendMessage();
    widget.transitions = [{ event: 'sent', next: 'goodbye' }];
    expectOnlyError(flowWith(widget), '#/states/1/transitions/0/next', "names no widget: 'goodbye'");
  });

  test('when a match transition has no conditions, then it is reported', () => {
    const split = { name: 'branch', type: 'split-based-on', transitions: [{ event: 'match', conditions: [] }], properties: { input: 'x' } };
    expectOnlyError(flowWith(split), '#/states/1/transitions/0/conditions', 'a match transition needs at least one condition');
  });

  test('when a transition other than match carries conditions, then it is reported', () => {
    const widget = sendMessage();
    widget.transitions = [{ event: 'sent', conditions: [] }];
    expectOnlyError(flowWith(widget), '#/states/1/transitions/0/conditions', 'only the match transitions of split-based-on carry conditions');
  });

  test.each([['{{flow.data.sub}}'], ['FW123'], ['ZS00000000000000000000000000000001']])(
    'when run-subflow.flow_sid is %s, then it must be a literal flow SID',
    (flowSid) => {
      const widget = { name: 'sub', type: 'run-subflow', transitions: [{ event: 'completed' }], properties: { flow_sid: flowSid } };
      expectOnlyError(flowWith(widget), '#/states/1/properties/flow_sid', 'must be a valid, non-liquid flow sid');
    },
  );

  test('when run-subflow.flow_revision is not a selector or number, then it is reported', () => {
    const widget = { name: 'sub', type: 'run-subflow', transitions: [], properties: { flow_sid: `FW${'a'.repeat(32)}`, flow_revision: 'LatestDraft' } };
    expectOnlyError(flowWith(widget), '#/states/1/properties/flow_revision', 'must be LatestPublished, LatestRevision or a revision number');
  });

  test.each([['abc'], ['0'], ['-5']])('when a reply timeout is "%s", then it must be a whole number of seconds', (timeout) => {
    const widget = { name: 'ask', type: 'send-and-wait-for-reply', transitions: [], properties: { body: 'q', timeout } };
    expectOnlyError(flowWith(widget), '#/states/1/properties/timeout', 'must be a whole number of seconds greater than 0');
  });

  test('when a send-to-flex priority is not a whole number, then it is reported', () => {
    const widget = { name: 'flex', type: 'send-to-flex', transitions: [], properties: { workflow: 'WW1', channel: 'TC1', priority: 'high' } };
    expectOnlyError(flowWith(widget), '#/states/1/properties/priority', 'must be a whole number');
  });
});

describe('validateFlow: start-conversation checks (DESIGN.md §6)', () => {
  const path = (rest: string) => `#/states/1/properties/${rest}`;

  test('when there are two participants, then Group MMS is refused', () => {
    const widget = startConversation();
    widget.properties.participants.push({ type: 'chat', identity: 'agent' });
    expectOnlyError(flowWith(widget), path('participants'), 'exactly one participant is supported (Group MMS is not supported); found 2');
  });

  test('when the friendly name is longer than 256 characters, then it is reported', () => {
    expectOnlyError(flowWith(startConversation({ friendly_name: 'x'.repeat(257) })), path('friendly_name'), 'may only be 256 characters long');
  });

  test.each([['a/b'], ['a\\b'], ['why?'], ['#1'], ['100%'], ['line\nbreak']])('when the friendly name is %j, then reserved characters are refused', (name) => {
    expectOnlyError(
      flowWith(startConversation({ friendly_name: name })),
      path('friendly_name'),
      'must not contain reserved characters (/ \\ ? # % or control characters)',
    );
  });

  test('when the unique name looks like a conversation SID, then it is refused', () => {
    expectOnlyError(
      flowWith(startConversation({ unique_name: `CH${'0'.repeat(32)}` })),
      path('unique_name'),
      'must not look like a conversation SID (CH followed by 32 hex digits)',
    );
  });

  test('when the unique name has a reserved character, then it is refused', () => {
    expectOnlyError(flowWith(startConversation({ unique_name: 'a#b' })), path('unique_name'), 'must not contain reserved characters (/ \\ ? # % or control characters)');
  });

  test.each([['[1,2]'], ['not json'], ['"text"']])('when attributes are %s, then they must be a JSON object', (attributes) => {
    expectOnlyError(flowWith(startConversation({ attributes })), path('attributes'), 'must be a JSON object');
  });

  test('when a participant’s attributes are not a JSON object, then its path is reported', () => {
    expectOnlyError(flowWith(startConversation({}, { attributes: '42' })), path('participants/0/attributes'), 'must be a JSON object');
  });

  test.each([['PT59S'], ['5 minutes'], ['-PT5M']])('when timers.inactive is %s, then it must be at least a minute', (inactive) => {
    expectOnlyError(flowWith(startConversation({ timers: { inactive } })), path('timers/inactive'), 'must be an ISO-8601 duration of at least PT1M (1 minute)');
  });

  test('when timers.closed is under ten minutes, then it is reported', () => {
    expectOnlyError(flowWith(startConversation({ timers: { closed: 'PT9M59S' } })), path('timers/closed'), 'must be an ISO-8601 duration of at least PT10M (10 minutes)');
  });

  test('when the service SIDs are malformed, then each names its kind', () => {
    const errors = validateFlow(flowWith(startConversation({ conversation_service_sid: 'IS1', messaging_service_sid: 'MG1' }))).errors;
    expect(errors).toEqual([
      { property_path: path('conversation_service_sid'), message: 'must be a Conversations service SID (IS followed by 32 hex digits)' },
      { property_path: path('messaging_service_sid'), message: 'must be a Messaging service SID (MG followed by 32 hex digits)' },
    ]);
  });

  test('when the values are Liquid, then their checks wait for run time', () => {
    const widget = startConversation({
      friendly_name: '{{flow.data.name}}/#',
      unique_name: '{{flow.data.id}}',
      attributes: '{{flow.data.attrs}}',
      timers: { inactive: '{{flow.data.t}}', closed: 'PT10M' },
      conversation_service_sid: '{{flow.data.service}}',
    });
    expect(validateFlow(flowWith(widget))).toEqual({ valid: true, errors: [], warnings: [] });
  });

  test('when every property is set within its limits, then the widget is valid', () => {
    const widget = startConversation({
      conversation_service_sid: `IS${'a'.repeat(32)}`,
      messaging_service_sid: `MG${'b'.repeat(32)}`,
      unique_name: 'order-1001',
      friendly_name: 'x'.repeat(256),
      attributes: '{"a":1}',
      timers: { inactive: 'PT1M', closed: 'PT10M' },
      email_binding: { address: 'help@example.com', name: 'Help' },
    }, { attributes: '{}', role_sid: `RL${'c'.repeat(32)}` });
    expect(validateFlow(flowWith(widget)).errors).toEqual([]);
  });
});

describe('validateFlow: warnings', () => {
  test('when a widget carries a property this product does not know, then it is a warning, not an error', () => {
    const result = validateFlow(flowWith(sendMessage({ persistent_action: ['x'] })));
    expect(result.valid).toBe(true);
    expect(result.warnings).toEqual([{ property_path: '#/states/1/properties/persistent_action', message: 'is not a property of send-message; it is ignored' }]);
  });

  test('when a messaging widget has a media_url, then a warning says it is sent over Programmable Messaging only', () => {
    const result = validateFlow(flowWith(sendMessage({ media_url: 'https://example.com/a.png' })));
    expect(result.valid).toBe(true);
    expect(result.warnings).toEqual([{ property_path: '#/states/1/properties/media_url', message: expect.stringMatching(/^is sent over Programmable Messaging only: when the execution has a conversation, the widget fails/) }]);
  });
});

describe('validateFlowText', () => {
  test('when the text is not JSON, then the one error is at the root', () => {
    const result = validateFlowText('{"states": [');
    expect(result.valid).toBe(false);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.property_path).toBe('#');
    expect(result.errors[0]?.message).toMatch(/^is not valid JSON: /);
  });
});

describe('realistic Console exports load', () => {
  const dirs = [join(__dirname, '..', '..', 'fixtures', 'flows'), join(__dirname, '..', '..', '..', 'flows')];
  const files = dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json').map((f) => join(dir, f)));

  test.each(files)('%s is valid', (file) => {
    const result = validateFlowText(readFileSync(file, 'utf8'));
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test('when an export holds voice widgets, then each is listed in warnings by path', () => {
    const result = validateFlowText(readFileSync(join(dirs[0]!, 'console-export-voice-ivr.json'), 'utf8'));
    expect(result.warnings.map((w) => w.property_path)).toEqual(['#/states/1/type', '#/states/3/type', '#/states/4/type']);
    expect(result.warnings[0]?.message).toBe("widget type 'gather-input-on-call' is not run by studio-temporal; an execution that reaches 'gather_1' ends with an error");
  });
});
