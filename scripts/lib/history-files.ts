import { readFileSync, writeFileSync } from 'node:fs';
import type { temporal } from '@temporalio/proto';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';

/**
 * A recorded history as the replay tests keep it: `{workflowId, history}` in JSON. The workflow ID travels with the
 * history because replaying a workflow that starts children needs the real one.
 */
export interface HistoryFile {
  readonly workflowId: string;
  readonly history: temporal.api.history.v1.IHistory;
}

export function writeHistoryFile(path: string, { workflowId, history }: HistoryFile): void {
  writeFileSync(path, `${JSON.stringify({ workflowId, history: JSON.parse(historyToJSON(history)) }, null, 1)}\n`);
}

export function readHistoryFile(path: string): HistoryFile {
  const recorded = JSON.parse(readFileSync(path, 'utf8')) as { workflowId: string; history: unknown };
  return { workflowId: recorded.workflowId, history: historyFromJSON(recorded.history) };
}
