import type { FlowDefinition } from '../../../src/flow/definition';
import type { Clock } from '../../../src/flow/execution-state';
import { type ExecutionStart, startExecution } from '../../../src/flow/interpreter';
import { STUDIO_TIMEZONE } from '../../../src/flow/studio-rules';
import { studioTyped } from '../../../src/flow/widgets/set-variables';

const clock: Clock = { now: () => '2026-01-01T00:00:00Z', newStepSid: (() => { let n = 0; return () => `FT${String(++n).padStart(32, '0')}`; })() };

/** A flow that sets `count` (and more) then says which branch `{% if flow.variables.count == 3 %}` takes. */
function run(variables: Array<{ key: string; value: string; parse_as_json?: boolean }>, studio: boolean) {
  const flow: FlowDefinition = {
    initial_state: 'Trigger',
    states: [
      { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingRequest', next: 'vars' }], properties: {} },
      { name: 'vars', type: 'set-variables', transitions: [{ event: 'next', next: 'check' }], properties: { variables } },
      {
        name: 'check',
        type: 'set-variables',
        transitions: [{ event: 'next' }],
        properties: { variables: [{ key: 'branch', value: '{% if flow.variables.count == 3 %}three{% else %}other{% endif %}' }] },
      },
    ],
  };
  const start: ExecutionStart = {
    sid: 'FN00000000000000000000000000000001',
    flowSid: 'FW00000000000000000000000000000001',
    flowRevision: 1,
    definition: flow,
    trigger: { kind: 'request', to: '+15550001111', from: '+15559990000', parameters: {} },
    ...(studio ? { studio: { timezone: STUDIO_TIMEZONE } } : {}),
  };
  return startExecution(start, clock).context.flow.variables as Record<string, unknown>;
}

describe("Set Variables types values as Studio does (executions under Studio's rules)", () => {
  it('stores `count` = 3 as the number 3, so `flow.variables.count == 3` holds (issue 12)', () => {
    const variables = run([{ key: 'count', value: '3' }], true);
    expect(variables.count).toBe(3);
    expect(variables.branch).toBe('three');
  });

  it('kept the old text "3" for executions started before (so they replay as they ran)', () => {
    const variables = run([{ key: 'count', value: '3' }], false);
    expect(variables.count).toBe('3');
    expect(variables.branch).toBe('other');
  });

  it('types a rendered value too: `{{flow.variables.count | plus: 1}}` is a number', () => {
    expect(run([{ key: 'count', value: '2' }, { key: 'next', value: '{{flow.variables.count | plus: 1}}' }], true).next).toBe(3);
  });

  it('keeps a quoted value a string, without its quotes', () => {
    const variables = run([{ key: 'count', value: '"3"' }], true);
    expect(variables.count).toBe('3');
    expect(variables.branch).toBe('other');
  });

  it('parse_as_json still parses the rendered text as JSON', () => {
    expect(run([{ key: 'count', value: '{"a": [1, "2"]}', parse_as_json: true }], true).count).toEqual({ a: [1, '2'] });
  });

  it.each([
    ['3', 3],
    [' 42 ', 42],
    ['-2', -2],
    ['4.5', 4.5],
    ['0', 0],
    ['"1"', '1'],
    ['" padded "', ' padded '],
    ['hello', 'hello'],
    ['true', 'true'],
    ['007', '007'],
    ['1.50', '1.50'],
    ['+15551234567', '+15551234567'],
    ['12345678901234567890', '12345678901234567890'],
    ['1e3', '1e3'],
    ['', ''],
    ['"', '"'],
  ])('%j is stored as %j', (rendered, expected) => {
    expect(studioTyped(rendered)).toStrictEqual(expected);
  });
});
