import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { readHistoryFile } from '../../scripts/lib/history-files';
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
    const { workflowId, history } = readHistoryFile(join(HISTORIES, file));
    await expect(Worker.runReplayHistory({ workflowBundle: bundle }, history, workflowId)).resolves.toBeUndefined();
  });
});
