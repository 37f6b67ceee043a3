import { ApplicationFailure } from '@temporalio/common';
import { validateFlow } from '../../flow/validation/validate-flow';
import type {
  FlowRevisionRecord,
  FlowRevisionSummary,
  FlowSnapshot,
  RevisionLocation,
  RevisionSelector,
  SaveFlowRequest,
} from '../contracts/flow-messages';
import { revisionWorkflowId } from '../contracts/flow-messages';

/** Everything a flow workflow carries across continue-as-new: small, whatever the number of revisions. */
export interface FlowStateData {
  readonly sid: string;
  date_created?: string;
  /** Every revision's metadata; definitions other than the two below live in revision workflows. */
  revisions: FlowRevisionSummary[];
  latest?: FlowRevisionRecord;
  latest_published?: FlowRevisionRecord;
  test_users: string[];
  deleted: boolean;
}

/** Failure types the API maps to Twilio errors. */
export const FLOW_FAILURE = {
  invalidDefinition: 'InvalidFlowDefinition',
  invalidParameter: 'InvalidParameter',
  deleted: 'FlowDeleted',
} as const;

export function emptyFlowState(sid: string): FlowStateData {
  return { sid, revisions: [], test_users: [], deleted: false };
}

/** The update validator: rejects a save before it reaches history. Throws; returns nothing. */
export function assertSaveAllowed(state: FlowStateData, request: SaveFlowRequest): void {
  if (state.deleted) throw ApplicationFailure.nonRetryable(`Flow ${state.sid} was deleted`, FLOW_FAILURE.deleted);
  if (request.status !== 'draft' && request.status !== 'published') {
    throw ApplicationFailure.nonRetryable("Status must be 'draft' or 'published'", FLOW_FAILURE.invalidParameter);
  }
  const isCreate = state.latest === undefined;
  if (isCreate && !request.friendly_name) {
    throw ApplicationFailure.nonRetryable('FriendlyName is required to create a flow', FLOW_FAILURE.invalidParameter);
  }
  if (isCreate && request.definition === undefined) {
    throw ApplicationFailure.nonRetryable('Definition is required to create a flow', FLOW_FAILURE.invalidParameter);
  }
  if (request.definition !== undefined) {
    const { valid, errors } = validateFlow(request.definition);
    if (!valid) {
      throw ApplicationFailure.create({
        message: 'Invalid Flow Definition',
        type: FLOW_FAILURE.invalidDefinition,
        nonRetryable: true,
        details: [errors],
      });
    }
  }
}

/** The next revision a save would create; pure, so the workflow can archive it before committing it. */
export function nextRevision(state: FlowStateData, request: SaveFlowRequest, now: string): FlowRevisionRecord {
  const previous = state.latest;
  const definition = request.definition ?? previous?.definition;
  if (!definition) throw ApplicationFailure.nonRetryable('Definition is required', FLOW_FAILURE.invalidParameter);
  return {
    flow_sid: state.sid,
    revision: (previous?.revision ?? 0) + 1,
    friendly_name: request.friendly_name || previous?.friendly_name || '',
    status: request.status,
    commit_message: request.commit_message ?? null,
    definition,
    warnings: request.definition ? validateFlow(definition).warnings : (previous?.warnings ?? []),
    date_created: now,
    date_updated: now,
  };
}

export function commitRevision(state: FlowStateData, record: FlowRevisionRecord): void {
  const { definition: _definition, warnings: _warnings, ...summary } = record;
  state.revisions.push(summary);
  state.date_created ??= record.date_created;
  state.latest = record;
  if (record.status === 'published') state.latest_published = record;
}

export function snapshotOf(state: FlowStateData): FlowSnapshot | undefined {
  if (state.deleted || !state.latest || !state.date_created) return undefined;
  return {
    sid: state.sid,
    date_created: state.date_created,
    latest: state.latest,
    latest_published: state.latest_published,
    test_users: state.test_users,
  };
}

/** Finds a revision: the two newest interesting ones are held inline, the rest by their revision workflows. */
export function locateRevision(state: FlowStateData, selector: RevisionSelector): RevisionLocation {
  if (state.deleted) return { kind: 'missing' };
  const record = selector === 'LatestRevision' ? state.latest : selector === 'LatestPublished' ? state.latest_published : undefined;
  if (record) return { kind: 'inline', record };
  if (typeof selector !== 'number') return { kind: 'missing' };
  if (state.latest?.revision === selector) return { kind: 'inline', record: state.latest };
  if (state.latest_published?.revision === selector) return { kind: 'inline', record: state.latest_published };
  const exists = state.revisions.some((r) => r.revision === selector);
  return exists ? { kind: 'archived', workflowId: revisionWorkflowId(state.sid, selector) } : { kind: 'missing' };
}
