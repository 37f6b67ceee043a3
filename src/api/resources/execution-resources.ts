import { createHash } from 'node:crypto';
import type { FlowContext } from '../../flow/context';
import type { ExecutionListItem } from '../../services/execution-queries';
import type { ExecutionView, StepView } from '../../workflows/contracts/execution-messages';
import { flowUrl, type ResourceContext } from './flow-resources';

export const executionUrl = (ctx: ResourceContext, flowSid: string, sid: string): string => `${flowUrl(ctx, flowSid)}/Executions/${sid}`;

/** Studio's (deprecated) contact SID: stable per contact address. */
function contactSid(address: string): string {
  return `FC${createHash('sha256').update(address).digest('hex').slice(0, 32)}`;
}

/** Studio's Execution resource. `initiated_by` is the account that started it through the API. */
export function executionResource(ctx: ResourceContext, execution: ExecutionView | ExecutionListItem, context: FlowContext | Record<string, never>) {
  const item = 'contactAddress' in execution ? fromRecord(execution) : execution;
  const url = executionUrl(ctx, item.flow_sid, item.sid);
  return {
    sid: item.sid,
    account_sid: ctx.accountSid,
    flow_sid: item.flow_sid,
    contact_channel_address: item.contact_channel_address,
    contact_sid: contactSid(item.contact_channel_address),
    flow_version: item.flow_version,
    context,
    status: item.status,
    date_created: item.date_created,
    date_updated: item.date_updated,
    initiated_by: ctx.accountSid,
    url,
    links: { steps: `${url}/Steps`, execution_context: `${url}/Context` },
  };
}

function fromRecord(record: ExecutionView): ExecutionListItem {
  return {
    sid: record.sid,
    flow_sid: record.flowSid,
    flow_version: record.flowRevision,
    contact_channel_address: record.contactAddress,
    status: record.status,
    date_created: record.dateCreated,
    date_updated: record.dateUpdated,
  };
}

export function executionContextResource(ctx: ResourceContext, record: ExecutionView) {
  return {
    account_sid: ctx.accountSid,
    context: record.context,
    flow_sid: record.flowSid,
    execution_sid: record.sid,
    url: `${executionUrl(ctx, record.flowSid, record.sid)}/Context`,
  };
}

/** Studio's ExecutionStep; its `context` is what the step wrote (a fragment of the context's shape). */
export function stepResource(ctx: ResourceContext, flowSid: string, executionSid: string, step: StepView) {
  const url = `${executionUrl(ctx, flowSid, executionSid)}/Steps/${step.sid}`;
  return {
    sid: step.sid,
    account_sid: ctx.accountSid,
    flow_sid: flowSid,
    execution_sid: executionSid,
    parent_step_sid: step.parent_step_sid ?? null,
    name: step.name,
    context: step.context ?? {},
    transitioned_from: step.transitioned_from,
    transitioned_to: step.transitioned_to,
    type: step.type,
    date_created: step.date_created,
    date_updated: step.date_created,
    url,
    links: { step_context: `${url}/Context` },
  };
}

export function stepContextResource(ctx: ResourceContext, flowSid: string, executionSid: string, stepSid: string, context: FlowContext) {
  return {
    account_sid: ctx.accountSid,
    context,
    execution_sid: executionSid,
    flow_sid: flowSid,
    step_sid: stepSid,
    url: `${executionUrl(ctx, flowSid, executionSid)}/Steps/${stepSid}/Context`,
  };
}
