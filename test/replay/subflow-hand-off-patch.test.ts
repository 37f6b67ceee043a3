import { join } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { type HistoryFile, readHistoryFile } from '../../scripts/lib/history-files';
import { WORKFLOWS_PATH } from '../../src/temporal/workflow-bundle';
import { SUBFLOW_HAND_OFF_PATCH } from '../../src/workflows/execution/subflow-effects';
import { workflowBundle } from '../helpers/temporal';

const FIXTURES = join(__dirname, '..', 'fixtures', 'histories', 'patches', SUBFLOW_HAND_OFF_PATCH);
const load = (file: string): HistoryFile => readHistoryFile(join(FIXTURES, file));

function activities(history: temporal.api.history.v1.IHistory): string[] {
  return (history.events ?? []).flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
}

/**
 * A parent now adopts the conversation its subflow handed to Flex, guarded by `patched('subflow-hand-off')`: the
 * parent of a subflow that runs send-to-flex on the parent's conversation, followed by a send-message in the parent,
 * recorded by the code before the change (it sent the message into the handed-off conversation and removed the webhook
 * again) and after it (it sends nothing). Both must replay against today's code, and the old one must not replay once
 * the guard is taken away.
 */
describe(`the ${SUBFLOW_HAND_OFF_PATCH} patch`, () => {
  let current: WorkflowBundleWithSourceMap;
  let unguarded: WorkflowBundleWithSourceMap;

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

  test('the old parent sent into the handed-off conversation; the new one does not', () => {
    expect(activities(load('before-patch.json').history)).toContain('sendConversationMessage');
    expect(activities(load('after-patch.json').history)).not.toContain('sendConversationMessage');
  });

  test('both histories replay against today’s code', async () => {
    for (const side of ['before', 'after']) {
      const { history, workflowId } = load(`${side}-patch.json`);
      await expect(Worker.runReplayHistory({ workflowBundle: current }, history, workflowId)).resolves.toBeUndefined();
    }
  });

  test('without the guard, the old history no longer replays', async () => {
    const { history, workflowId } = load('before-patch.json');
    await expect(Worker.runReplayHistory({ workflowBundle: unguarded }, history, workflowId)).rejects.toThrow(DeterminismViolationError);
  });
});
