import { DeterminismViolationError } from '@temporalio/workflow';
import { HTTP_PARSING_PATCH } from '../../src/workflows/execution/effect-runner';
import { bundlePatchProof, patchHistory, replay, scheduledActivities } from './patch-proof';

/**
 * HTTP answers are now parsed as Studio parses them (only a JSON object answered as application/json), guarded by
 * `patched('http-parse-json-objects')`. The same flow (an answer `[{"id": 7}]`, then a split on
 * `widgets.lookup.parsed.first.id` that sends a message on 7) was recorded by the code before the change, which
 * parsed the array and sent, and after it, which keeps the array in `body` and sends nothing. Both must replay
 * against today's code, and the old one must not once the guard is taken away.
 */
describe(`the ${HTTP_PARSING_PATCH} patch`, () => {
  const before = patchHistory(HTTP_PARSING_PATCH, 'before-patch.json');
  const after = patchHistory(HTTP_PARSING_PATCH, 'after-patch.json');

  beforeAll(bundlePatchProof, 60_000);

  test('the old history parsed the array and sent; the new one did not', () => {
    expect(scheduledActivities(before.history)).toEqual(['sendHttpRequest', 'sendSmsMessage']);
    expect(scheduledActivities(after.history)).toEqual(['sendHttpRequest']);
  });

  test('both replay against today’s code', async () => {
    await expect(replay('today', before)).resolves.toBeUndefined();
    await expect(replay('today', after)).resolves.toBeUndefined();
  });

  test('without the guard, the old history no longer replays', async () => {
    await expect(replay('unguarded', before)).rejects.toThrow(DeterminismViolationError);
  });
});
