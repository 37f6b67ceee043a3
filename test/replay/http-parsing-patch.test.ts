import { join } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { type HistoryFile, readHistoryFile } from '../../scripts/lib/history-files';
import { WORKFLOWS_PATH } from '../../src/temporal/workflow-bundle';
import { HTTP_PARSING_PATCH } from '../../src/workflows/execution/effect-runner';
import { workflowBundle } from '../helpers/temporal';

const FIXTURES = join(__dirname, '..', 'fixtures', 'histories', 'patches', HTTP_PARSING_PATCH);
const load = (file: string): HistoryFile => readHistoryFile(join(FIXTURES, file));

function activities(history: temporal.api.history.v1.IHistory): string[] {
  return (history.events ?? []).flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
}

/**
 * HTTP answers are now parsed as Studio parses them (only a JSON object answered as application/json), guarded by
 * `patched('http-parse-json-objects')`. The same flow (an answer `[{"id": 7}]`, then a split on
 * `widgets.lookup.parsed.first.id` that sends a message on 7) was recorded by the code before the change, which
 * parsed the array and sent, and after it, which keeps the array in `body` and sends nothing. Both must replay
 * against today's code, and the old one must not once the guard is taken away.
 */
describe(`the ${HTTP_PARSING_PATCH} patch`, () => {
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

  test('the old history parsed the array and sent; the new one did not', () => {
    expect(activities(before.history)).toEqual(['sendHttpRequest', 'sendSmsMessage']);
    expect(activities(after.history)).toEqual(['sendHttpRequest']);
  });

  test('both replay against today’s code', async () => {
    await expect(Worker.runReplayHistory({ workflowBundle: current }, before.history, before.workflowId)).resolves.toBeUndefined();
    await expect(Worker.runReplayHistory({ workflowBundle: current }, after.history, after.workflowId)).resolves.toBeUndefined();
  });

  test('without the guard, the old history no longer replays', async () => {
    await expect(Worker.runReplayHistory({ workflowBundle: unguarded }, before.history, before.workflowId)).rejects.toThrow(DeterminismViolationError);
  });
});
