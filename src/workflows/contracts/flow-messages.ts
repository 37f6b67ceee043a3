import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { FlowDefinition } from '../../flow/definition';
import type { FlowIssue } from '../../flow/validation/issues';

export type FlowStatus = 'draft' | 'published';

/** One revision of a flow, with everything the Revisions API returns. */
export interface FlowRevisionRecord {
  readonly flow_sid: string;
  readonly revision: number;
  readonly friendly_name: string;
  readonly status: FlowStatus;
  readonly commit_message: string | null;
  readonly definition: FlowDefinition;
  readonly warnings: readonly FlowIssue[];
  readonly date_created: string;
  readonly date_updated: string;
}

export type FlowRevisionSummary = Omit<FlowRevisionRecord, 'definition' | 'warnings'>;

/** What a flow workflow answers about itself: the flow resource's data, without account-specific URLs. */
export interface FlowSnapshot {
  readonly sid: string;
  readonly date_created: string;
  /** The newest revision; the flow resource shows it. */
  readonly latest: FlowRevisionRecord;
  readonly latest_published?: FlowRevisionRecord;
  readonly test_users: readonly string[];
}

/** Create (first call) or update (later calls): every save is a new revision, a full replace of the definition. */
export interface SaveFlowRequest {
  readonly friendly_name?: string;
  readonly status: FlowStatus;
  /** Omitted on an update: the new revision keeps the latest definition. */
  readonly definition?: FlowDefinition;
  readonly commit_message?: string | null;
}

/** `LatestPublished`, `LatestRevision`, or a revision number. */
export type RevisionSelector = 'LatestPublished' | 'LatestRevision' | number;

/** Where a revision can be read: inline when the flow workflow holds it, else in its revision workflow. */
export type RevisionLocation =
  | { readonly kind: 'inline'; readonly record: FlowRevisionRecord }
  | { readonly kind: 'archived'; readonly workflowId: string }
  | { readonly kind: 'missing' };

export const saveFlowUpdate = defineUpdate<FlowRevisionRecord, [SaveFlowRequest]>('saveFlow');
export const deleteFlowUpdate = defineUpdate<void, []>('deleteFlow');
export const setTestUsersUpdate = defineUpdate<string[], [string[]]>('setTestUsers');
/** Undefined until the flow's first revision is saved, and after it is deleted. */
export const getFlowQuery = defineQuery<FlowSnapshot | undefined>('getFlow');
export const listRevisionsQuery = defineQuery<readonly FlowRevisionSummary[]>('listRevisions');
export const locateRevisionQuery = defineQuery<RevisionLocation, [RevisionSelector]>('locateRevision');
export const getRevisionQuery = defineQuery<FlowRevisionRecord>('getRevision');

/** Workflow ID of the workflow that keeps revision `revision` of `flowSid`. */
export function revisionWorkflowId(flowSid: string, revision: number): string {
  return `${flowSid}/revisions/${revision}`;
}
