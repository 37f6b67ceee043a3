import type { FlowListItem } from '../../services/flow-store';
import type { PageTokens } from '../page-tokens';
import type { FlowRevisionRecord, FlowRevisionSummary, FlowSnapshot } from '../../workflows/contracts/flow-messages';

/** What every resource needs to render its URLs. */
export interface ResourceContext {
  readonly accountSid: string;
  readonly baseUrl: string;
  /** Seals and opens the `PageToken` of list links. */
  readonly pageTokens: PageTokens;
}

export const flowUrl = (ctx: ResourceContext, sid: string): string => `${ctx.baseUrl}/v2/Flows/${sid}`;

/** Studio's Flow resource. Stored flows are always valid: an invalid definition is never saved. */
export function flowResource(ctx: ResourceContext, flow: FlowSnapshot | FlowListItem, includeDefinition: boolean) {
  const latest = 'latest' in flow ? flow.latest : flow;
  const sid = 'latest' in flow ? flow.sid : flow.flow_sid;
  const url = flowUrl(ctx, sid);
  return {
    sid,
    account_sid: ctx.accountSid,
    author_sid: null,
    friendly_name: latest.friendly_name,
    definition: includeDefinition && 'definition' in latest ? latest.definition : null,
    status: latest.status,
    revision: latest.revision,
    commit_message: latest.commit_message,
    valid: true,
    errors: [],
    warnings: latest.warnings,
    date_created: flow.date_created,
    date_updated: latest.date_updated,
    webhook_url: `${ctx.baseUrl}/v1/Accounts/${ctx.accountSid}/Flows/${sid}`,
    url,
    links: { test_users: `${url}/TestUsers`, revisions: `${url}/Revisions`, executions: `${url}/Executions` },
  };
}

/** Studio's FlowRevision resource; lists carry no definition, as Studio's do. */
export function revisionResource(ctx: ResourceContext, revision: FlowRevisionRecord | FlowRevisionSummary) {
  return {
    sid: revision.flow_sid,
    account_sid: ctx.accountSid,
    author_sid: null,
    friendly_name: revision.friendly_name,
    definition: 'definition' in revision ? revision.definition : null,
    status: revision.status,
    revision: revision.revision,
    commit_message: revision.commit_message,
    valid: true,
    errors: [],
    date_created: revision.date_created,
    date_updated: revision.date_updated,
    url: `${flowUrl(ctx, revision.flow_sid)}/Revisions/${revision.revision}`,
  };
}

export function testUsersResource(ctx: ResourceContext, sid: string, users: readonly string[]) {
  return { sid, test_users: users, url: `${flowUrl(ctx, sid)}/TestUsers` };
}
