import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  setHandler,
  sleep,
  startChild,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import {
  deleteFlowUpdate,
  getFlowQuery,
  listRevisionsQuery,
  locateRevisionQuery,
  revisionWorkflowId,
  saveFlowUpdate,
  setTestUsersUpdate,
} from '../contracts/flow-messages';
import { flowRevisionWorkflow } from './flow-revision-workflow';
import {
  assertSaveAllowed,
  commitRevision,
  emptyFlowState,
  type FlowStateData,
  locateRevision,
  nextRevision,
  snapshotOf,
} from './state';
import { SerialQueue } from '../serial-queue';
import { twilioDate } from '../../flow/dates';

export interface FlowWorkflowInput {
  readonly sid: string;
  /** Set by continue-as-new. */
  readonly state?: FlowStateData;
}

/** Continue-as-new well before Temporal's history warnings (10,240 events), so replays stay cheap. */
const HISTORY_EVENTS_BEFORE_CONTINUE = 2_000;
const FIRST_SAVE_TIMEOUT = '1 minute';

/**
 * One long-lived workflow per flow (workflow ID = flow SID) that owns its revisions. Writes go through updates whose
 * validators reject bad input before it reaches history; reads are queries. Each revision's definition is also kept
 * by its own small workflow, so this one's state stays small however many revisions pile up.
 */
export async function flowWorkflow(input: FlowWorkflowInput): Promise<void> {
  const state = input.state ?? emptyFlowState(input.sid);
  const writes = new SerialQueue();

  setHandler(getFlowQuery, () => snapshotOf(state));
  setHandler(listRevisionsQuery, () => state.revisions);
  setHandler(locateRevisionQuery, (selector) => locateRevision(state, selector));
  setHandler(
    saveFlowUpdate,
    (request) =>
      writes.run(async () => {
        const record = nextRevision(state, request, twilioDate(new Date()));
        await startChild(flowRevisionWorkflow, {
          workflowId: revisionWorkflowId(state.sid, record.revision),
          args: [record],
          // Revision workflows outlive this run's continue-as-new; deleting the flow cancels them.
          parentClosePolicy: ParentClosePolicy.ABANDON,
        });
        commitRevision(state, record);
        publishMemo(state);
        return record;
      }),
    { validator: (request) => assertSaveAllowed(state, request) },
  );
  setHandler(
    setTestUsersUpdate,
    (users: string[]) => {
      state.test_users = [...new Set(users)];
      return state.test_users;
    },
    { validator: (_users: string[]) => assertSaveAllowed(state, { status: 'draft' }) },
  );
  setHandler(deleteFlowUpdate, () =>
    writes.run(async () => {
      state.deleted = true;
      await Promise.all(state.revisions.map((r) => cancelQuietly(revisionWorkflowId(state.sid, r.revision))));
    }),
  );

  if (!state.latest && !(await condition(() => state.latest !== undefined || state.deleted, FIRST_SAVE_TIMEOUT))) {
    return; // a create whose first save was rejected leaves nothing behind
  }
  await condition(() => state.deleted || workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > HISTORY_EVENTS_BEFORE_CONTINUE);
  await condition(allHandlersFinished);
  if (state.deleted) {
    // The delete update completed in this task; closing in a later one keeps a concurrent event from failing it.
    if (patched('close-after-update-task')) await sleep(1);
    return;
  }
  await continueAsNew<typeof flowWorkflow>({ sid: state.sid, state });
}

/** The flow list reads these from visibility, so listing needs no query per flow. */
function publishMemo(state: FlowStateData): void {
  const latest = state.latest;
  if (!latest) return;
  const { definition: _definition, ...summary } = latest;
  // published_revision lets executions start from a describe (no worker round trip) in the common case.
  upsertMemo({ flow: { ...summary, date_created: state.date_created, published_revision: state.latest_published?.revision ?? null } });
}

async function cancelQuietly(workflowId: string): Promise<void> {
  try {
    await getExternalWorkflowHandle(workflowId).cancel();
  } catch {
    // Already gone: nothing left to release.
  }
}
