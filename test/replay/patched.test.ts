import { temporal } from '@temporalio/proto';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleOnePatchProof, patchHistory, replay } from './patch-proof';

const PATCH = 'close-after-update-task';

function eventTypes(history: temporal.api.history.v1.IHistory): string[] {
  return (history.events ?? []).map((event) => String(temporal.api.enums.v1.EventType[event.eventType ?? 0]));
}

/** The patch marker: a MarkerRecorded event whose `patch-data` payload names the patch. */
function hasPatchMarker(history: temporal.api.history.v1.IHistory): boolean {
  return (history.events ?? []).some((event) => {
    const data = event.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
    return data !== undefined && data !== null && Buffer.from(data).toString('utf8').includes(PATCH);
  });
}

/**
 * Safe versioning, shown on a real change: an execution ended through the API used to close in the same workflow task
 * as the update (before-patch.json, recorded by the code of the time); it now waits one timer first, guarded by
 * `patched('close-after-update-task')` (after-patch.json). Both histories must replay against today's code, and the
 * old one must not replay once the guard is taken away, which is what the guard is for.
 */
describe(`the ${PATCH} patch`, () => {
  const before = patchHistory(PATCH, 'before-patch.json');
  const after = patchHistory(PATCH, 'after-patch.json');

  beforeAll(() => bundleOnePatchProof(PATCH), 60_000);

  test('the old history closes in the task of the update; the new one records the patch and a timer first', () => {
    expect(hasPatchMarker(before.history)).toBe(false);
    expect(eventTypes(before.history).slice(-3)).toEqual(['EVENT_TYPE_TIMER_CANCELED', 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED', 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED']);
    expect(hasPatchMarker(after.history)).toBe(true);
    expect(eventTypes(after.history).slice(-6)).toEqual([
      'EVENT_TYPE_TIMER_STARTED',
      'EVENT_TYPE_TIMER_FIRED',
      'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED',
      'EVENT_TYPE_WORKFLOW_TASK_STARTED',
      'EVENT_TYPE_WORKFLOW_TASK_COMPLETED',
      'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED',
    ]);
  });

  test('both replay against today’s code', async () => {
    await expect(replay('today', before)).resolves.toBeUndefined();
    await expect(replay('today', after)).resolves.toBeUndefined();
  });

  test('without the guard, the old history no longer replays (the change would break executions recorded before it)', async () => {
    // Only this guard is taken away: a later patch (release-contact-lock) would diverge earlier, at the update.
    const replayed = replay({ unguarded: PATCH }, before);
    await expect(replayed).rejects.toThrow(DeterminismViolationError);
    await expect(replayed).rejects.toThrow(/Nondeterminism error: Timer machine does not handle this event/);
  });
});
