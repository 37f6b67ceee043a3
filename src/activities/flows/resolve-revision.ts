import { ApplicationFailure } from '@temporalio/common';
import type { FlowDefinition } from '../../flow/definition';
import { FlowNotFoundError } from '../../services/store-errors';
import type { FlowStore } from '../../services/flow-store';
import type { RevisionSelector } from '../../workflows/contracts/flow-messages';

/** Failure type when a flow or its revision does not exist (run-subflow maps it to Studio's 81024). */
export const FLOW_REVISION_NOT_FOUND = 'FlowRevisionNotFound';

export interface PinnedRevision {
  readonly revision: number;
  readonly definition: FlowDefinition;
  /** The flow's friendly name at that revision (absent from results recorded before it was added). */
  readonly friendlyName?: string;
}

/** Reading flows from the flow store, so executions (and subflows) can pin the revision they run. */
export function createFlowActivities(flows: FlowStore) {
  return {
    async resolveFlowRevision(flowSid: string, selector: RevisionSelector): Promise<PinnedRevision> {
      try {
        const record = await flows.revision(flowSid, selector);
        if (record) return { revision: record.revision, definition: record.definition, friendlyName: record.friendly_name };
        throw ApplicationFailure.nonRetryable(`Flow ${flowSid} has no revision ${String(selector)}`, FLOW_REVISION_NOT_FOUND);
      } catch (err) {
        if (err instanceof FlowNotFoundError) throw ApplicationFailure.nonRetryable(err.message, FLOW_REVISION_NOT_FOUND);
        throw err;
      }
    },
  };
}
