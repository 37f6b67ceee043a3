import { DeterminismViolationError } from '@temporalio/workflow';
import { REPLY_CATCH_UP_PATCH } from '../../src/workflows/execution/reply-catch-up';
import { bundlePatchProof, patchHistory, replay, scheduledActivities } from './patch-proof';

const load = (file: string) => patchHistory(REPLY_CATCH_UP_PATCH, file);

/**
 * A waiting send-and-wait-for-reply now reads its conversation back when its wait times out, or when a reply shows
 * a gap after the prompt, guarded by `patched('reply-catch-up')`. Both situations were recorded by the code before
 * the change (the contact's first message never came by webhook: `before-patch-*.json`) and after it
 * (`after-patch-*.json`). All must replay against today's code, and the old ones must not replay once the guard is
 * taken away.
 */
describe(`the ${REPLY_CATCH_UP_PATCH} patch`, () => {
  const situations = ['at-timeout', 'after-gap'] as const;

  beforeAll(bundlePatchProof, 60_000);

  test.each(situations)('%s: the old history has no read; the new one reads the conversation back', (situation) => {
    expect(scheduledActivities(load(`before-patch-${situation}.json`).history)).not.toContain('listConversationRepliesAfter');
    expect(scheduledActivities(load(`after-patch-${situation}.json`).history)).toContain('listConversationRepliesAfter');
  });

  test.each(situations)('%s: both histories replay against today’s code', async (situation) => {
    for (const side of ['before', 'after']) {
      await expect(replay('today', load(`${side}-patch-${situation}.json`))).resolves.toBeUndefined();
    }
  });

  test.each(situations)('%s: without the guard, the old history no longer replays', async (situation) => {
    await expect(replay('unguarded', load(`before-patch-${situation}.json`))).rejects.toThrow(DeterminismViolationError);
  });
});
