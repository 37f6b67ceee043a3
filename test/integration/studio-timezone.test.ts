import type twilio from 'twilio';
import { publish, restFlow, runToEnd } from '../helpers/flows';
import { contactNumbers } from '../helpers/contacts';
import { checkResponsesAndStop, startStack, type TestStack } from '../helpers/stack';

/**
 * The zone Liquid dates render in is a setting (STUDIO_TIMEZONE, default Studio's America/Los_Angeles): the API puts
 * it in each new execution's input and the execution pins it in its state, so its subflows render in it too.
 */
describe('STUDIO_TIMEZONE', () => {
  let stack: TestStack;
  let studio: twilio.Twilio['studio']['v2'];
  const nextContact = contactNumbers('+1555130');
  const dates = (name: string) => ({
    name,
    type: 'set-variables',
    transitions: [{ event: 'next' }],
    properties: { variables: [{ key: 'at', value: '{{flow.data.at | default: trigger.parent.parameters.at | date: "%Y-%m-%d %H:%M %z"}}' }] },
  });

  beforeAll(async () => {
    stack = await startStack('studio-timezone', { vars: { STUDIO_TIMEZONE: 'Europe/Berlin' } });
    studio = stack.client.studio.v2;
  });

  afterAll(async () => {
    await checkResponsesAndStop(stack);
  });

  test('when the operator chose Europe/Berlin, then dates render there, DST included, in the execution and its subflow', async () => {
    const subflow = restFlow(dates('child_dates'));
    const child = await publish(studio, { ...subflow, states: [{ ...subflow.states[0]!, transitions: [{ event: 'incomingParent', next: 'child_dates' }] }, ...subflow.states.slice(1)] });
    const parent = await publish(
      studio,
      restFlow(
        { ...dates('dates'), transitions: [{ event: 'next', next: 'sub' }] },
        {
          name: 'sub',
          type: 'run-subflow',
          transitions: [{ event: 'completed' }, { event: 'failed' }],
          properties: { flow_sid: child, flow_revision: 'LatestPublished', parameters: [{ key: 'at', value: '{{flow.data.at}}' }] },
        },
      ),
    );

    const summer = await runToEnd(studio, parent, nextContact(), { at: '2026-07-15T20:00:00Z' });
    const winter = await runToEnd(studio, parent, nextContact(), { at: '2026-01-15T20:00:00Z' });

    expect(summer.context.flow.variables.at).toBe('2026-07-15 22:00 +0200');
    expect(winter.context.flow.variables.at).toBe('2026-01-15 21:00 +0100');
    expect(summer.events.at(-1)).toBe('completed');
    expect(summer.context.widgets.sub).toMatchObject({ at: '2026-07-15 22:00 +0200' });
  });
});
