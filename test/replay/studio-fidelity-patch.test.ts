import { join } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { type HistoryFile, readHistoryFile } from '../../scripts/lib/history-files';
import { WORKFLOWS_PATH } from '../../src/worker/workflow-bundle';
import { STUDIO_FIDELITY_PATCH } from '../../src/workflows/execution/start';
import { workflowBundle } from '../helpers/temporal';

const FIXTURES = join(__dirname, '..', 'fixtures', 'histories', 'patches', STUDIO_FIDELITY_PATCH);
const load = (file: string): HistoryFile => readHistoryFile(join(FIXTURES, file));

function activities(history: temporal.api.history.v1.IHistory): string[] {
  return (history.events ?? []).flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
}

/**
 * Studio's splits, Set Variables types, Liquid output and time zone are guarded by `patched('studio-fidelity')`. The
 * same flow (a split on ` YES ` against `equal_to yes` that sends a message on match; recorded by
 * test/replay/recording/studio-fidelity-patch.recording.ts) was recorded by the code before the change, which
 * compared case-sensitively and sent nothing, and after it, which matches and sends. Both must replay against today's
 * code, and the old one must not once the guard is taken away.
 */
describe(`the ${STUDIO_FIDELITY_PATCH} patch`, () => {
  let current: WorkflowBundleWithSourceMap;
  let unguarded: WorkflowBundleWithSourceMap;
  const before = load('before-patch.json');
  const after = load('after-patch.json');

  beforeAll(async () => {
    current = await workflowBundle();
    unguarded = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      webpackConfigHook: (config) => ({
        ...config,
        resolve: { ...config.resolve, alias: { ...(config.resolve?.alias as object), '@temporalio/workflow$': require.resolve('./unguarded-patches') } },
      }),
    });
  }, 60_000);

  test('the old history did not match and sent nothing; the new one matched and sent', () => {
    expect(activities(before.history)).not.toContain('sendSmsMessage');
    expect(activities(after.history)).toContain('sendSmsMessage');
  });

  test('both replay against today’s code', async () => {
    await expect(Worker.runReplayHistory({ workflowBundle: current }, before.history, before.workflowId)).resolves.toBeUndefined();
    await expect(Worker.runReplayHistory({ workflowBundle: current }, after.history, after.workflowId)).resolves.toBeUndefined();
  });

  test('without the guard, the old history no longer replays', async () => {
    await expect(Worker.runReplayHistory({ workflowBundle: unguarded }, before.history, before.workflowId)).rejects.toThrow(DeterminismViolationError);
  });
});
