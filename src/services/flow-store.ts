import { randomBytes } from 'node:crypto';
import {
  type Client,
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FlowIssue } from '../flow/validation/issues';
import { FlowNotFoundError, FlowRejectedError } from './store-errors';
import {
  deleteFlowUpdate,
  type FlowRevisionRecord,
  type FlowRevisionSummary,
  type FlowSnapshot,
  getFlowQuery,
  getRevisionQuery,
  listRevisionsQuery,
  locateRevisionQuery,
  type RevisionSelector,
  type SaveFlowRequest,
  saveFlowUpdate,
  setTestUsersUpdate,
} from '../workflows/contracts/flow-messages';
import { FLOW_FAILURE } from '../workflows/flows/state';
import type { flowWorkflow } from '../workflows/flows/flow-workflow';
import { listPage } from './visibility';
import type { WorkerLiveness } from './worker-liveness';
import { readWithin } from './query-deadlines';

/** A flow as the list shows it: the latest revision's summary, read from visibility (no definition). */
export type FlowListItem = Omit<FlowRevisionRecord, 'definition'> & { readonly date_created: string };

export interface FlowPage {
  readonly flows: readonly FlowListItem[];
  readonly nextPageToken?: string;
}

const FLOW_WORKFLOW = 'flowWorkflow';
/** A revision of one flow never changes, so published ones are kept here once read; bounded so many flows cannot grow it. */
const CACHED_REVISIONS = 200;

/** Flows and their revisions, kept by one flow workflow per SID; shared by every API and worker process. */
export class FlowStore {
  private readonly revisionCache = new Map<string, FlowRevisionRecord>();

  /** With `liveness` (the API's), calls a worker must answer fail fast with WorkerUnavailableError when none runs. */
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly liveness?: WorkerLiveness,
  ) {}

  /**
   * The flow's latest published revision, or undefined when it has none. Read from the flow workflow's memo (a
   * server read, no worker round trip) and the revision cache; only an uncached revision needs a query.
   */
  async latestPublished(sid: string): Promise<FlowRevisionRecord | undefined> {
    const description = await this.client.workflow.getHandle(sid).describe().catch((err: unknown) => {
      throw this.translate(err, sid);
    });
    const memo = description.memo?.flow as { published_revision?: number | null } | undefined;
    if (description.type !== FLOW_WORKFLOW || description.status.name !== 'RUNNING' || !memo) throw new FlowNotFoundError(sid);
    const revision = memo.published_revision;
    if (revision === undefined) return (await this.get(sid)).latest_published; // a flow saved before the memo had it
    if (revision === null) return undefined;
    // A flow deleted and created again under the same SID is a new workflow chain with its own revision 1: the chain's
    // first run ID keeps its revisions apart from the old flow's (continue-as-new keeps the first run ID).
    const chain = description.raw.workflowExecutionInfo?.firstRunId || description.runId;
    const key = `${sid}/${chain}/${revision}`;
    const cached = this.revisionCache.get(key);
    if (cached) return cached;
    const record = await this.revision(sid, revision);
    if (record) {
      if (this.revisionCache.size >= CACHED_REVISIONS) this.revisionCache.delete(this.revisionCache.keys().next().value!);
      this.revisionCache.set(key, record);
    }
    return record;
  }

  /** Creates a flow under a new SID (or `sid`, creating or updating it when it exists: used for examples). */
  async save(request: SaveFlowRequest, options: { sid?: string; mustExist?: boolean } = {}): Promise<FlowRevisionRecord> {
    const sid = options.sid ?? `FW${randomBytes(16).toString('hex')}`;
    await this.liveness?.assertAlive(`flow ${sid}`);
    try {
      if (options.mustExist) {
        return await this.client.workflow.getHandle(sid).executeUpdate(saveFlowUpdate, { args: [request] });
      }
      const startWorkflowOperation = new WithStartWorkflowOperation<typeof flowWorkflow>(FLOW_WORKFLOW, {
        workflowId: sid,
        taskQueue: this.taskQueue,
        args: [{ sid }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      return await this.client.workflow.executeUpdateWithStart(saveFlowUpdate, { args: [request], startWorkflowOperation });
    } catch (err) {
      throw this.translate(err, sid);
    }
  }

  async get(sid: string): Promise<FlowSnapshot> {
    const snapshot = await this.query(sid, () => this.client.workflow.getHandle(sid).query(getFlowQuery));
    if (!snapshot) throw new FlowNotFoundError(sid);
    return snapshot;
  }

  async delete(sid: string): Promise<void> {
    await this.get(sid); // also checks that a worker runs
    try {
      await this.client.workflow.getHandle(sid).executeUpdate(deleteFlowUpdate);
    } catch (err) {
      throw this.translate(err, sid);
    }
  }

  async setTestUsers(sid: string, users: string[]): Promise<readonly string[]> {
    await this.liveness?.assertAlive(`flow ${sid}`);
    try {
      return await this.client.workflow.getHandle(sid).executeUpdate(setTestUsersUpdate, { args: [users] });
    } catch (err) {
      throw this.translate(err, sid);
    }
  }

  async revisions(sid: string): Promise<readonly FlowRevisionSummary[]> {
    await this.get(sid);
    return this.query(sid, () => this.client.workflow.getHandle(sid).query(listRevisionsQuery));
  }

  /** One revision with its definition, or undefined when the flow has no such revision. */
  async revision(sid: string, selector: RevisionSelector): Promise<FlowRevisionRecord | undefined> {
    const location = await this.query(sid, () => this.client.workflow.getHandle(sid).query(locateRevisionQuery, selector));
    if (location.kind === 'missing') {
      await this.get(sid); // a deleted or unknown flow is a 404, not a missing revision
      return undefined;
    }
    if (location.kind === 'inline') return location.record;
    return this.query(sid, () => this.client.workflow.getHandle(location.workflowId).query(getRevisionQuery));
  }

  /** One page of flows, newest first, from Temporal visibility (each flow's memo holds its summary). */
  async list(pageSize: number, pageToken?: string): Promise<FlowPage> {
    const query = `WorkflowType = '${FLOW_WORKFLOW}' AND ExecutionStatus = 'Running'`;
    const page = await listPage(this.client, query, pageSize, pageToken, (_execution, memo) => memo.flow as FlowListItem | undefined);
    return { flows: page.items, nextPageToken: page.nextPageToken };
  }

  /** A read a worker answers, under readWithin's deadline. */
  private async query<T>(sid: string, run: () => Promise<T>): Promise<T> {
    try {
      return await readWithin(this.client, `flow ${sid}`, run, this.liveness);
    } catch (err) {
      throw this.translate(err, sid);
    }
  }

  private translate(err: unknown, sid: string): Error {
    if (err instanceof WorkflowNotFoundError) return new FlowNotFoundError(sid);
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
    if (cause instanceof ApplicationFailure) {
      if (cause.type === FLOW_FAILURE.deleted) return new FlowNotFoundError(sid);
      const issues = cause.type === FLOW_FAILURE.invalidDefinition ? (cause.details?.[0] as FlowIssue[]) : undefined;
      if (cause.type === FLOW_FAILURE.invalidDefinition || cause.type === FLOW_FAILURE.invalidParameter) {
        return new FlowRejectedError(cause.message, issues);
      }
    }
    return err instanceof Error ? err : new Error(String(err));
  }
}
