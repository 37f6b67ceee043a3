import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { workflowBundle } from '../helpers/temporal';

const HISTORIES = join(__dirname, '..', 'fixtures', 'histories');

/**
 * Every recorded history (scripts/record-history.ts) must replay against today's workflow code: a change that
 * would break running executions or flows fails here, before it ships.
 */
describe('replaying recorded histories', () => {
  let bundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    bundle = await workflowBundle();
  });

  const files = readdirSync(HISTORIES).filter((file) => file.endsWith('.json'));

  test.each(files)('%s replays without a determinism error', async (file) => {
    const recorded = JSON.parse(readFileSync(join(HISTORIES, file), 'utf8')) as { workflowId: string; history: unknown };
    const history = historyFromJSON(recorded.history);
    await expect(Worker.runReplayHistory({ workflowBundle: bundle }, history, recorded.workflowId)).resolves.toBeUndefined();
  });
});
