import { condition, setHandler } from '@temporalio/workflow';
import { type FlowRevisionRecord, getRevisionQuery } from '../contracts/flow-messages';

/**
 * Keeps one revision of a flow for as long as the flow exists (its start input is the revision; queries read it).
 * It does nothing else and ends when the flow is deleted, which cancels it.
 */
export async function flowRevisionWorkflow(record: FlowRevisionRecord): Promise<void> {
  setHandler(getRevisionQuery, () => record);
  await condition(() => false);
}
