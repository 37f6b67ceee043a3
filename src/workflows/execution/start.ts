import { patched, workflowInfo } from '@temporalio/workflow';
import type { PinnedRevision } from '../../activities/flows/resolve-revision';
import type { ExecutionStart } from '../../flow/interpreter';
import { STUDIO_TIMEZONE } from '../../flow/studio-rules';
import { flowStoreActivities } from './activity-proxies';
import { startedMemo } from './attributes';
import type { ExecutionInput } from '../contracts/execution-messages';
import { EXECUTION_LABEL, summary } from './summaries';

/** The revision the execution runs: given by the starter, or read now (LatestPublished by default) and pinned. */
export async function pinRevision(input: ExecutionInput): Promise<PinnedRevision> {
  if (input.definition) return { definition: input.definition, revision: input.flowRevision ?? 0, friendlyName: input.flowName };
  const revision = input.revision ?? 'LatestPublished';
  const reading = summary(EXECUTION_LABEL, `read flow ${input.flowSid} revision ${revision}`);
  return flowStoreActivities.resolveFlowRevision.executeWithOptions({ summary: reading }, [input.flowSid, revision]);
}

/** Patch: executions started from here on check widgets' writes and requests against the size limits (flow/limits.ts). */
export const BOUNDED_FLOW_CODE_PATCH = 'bounded-flow-code';

/**
 * Patch: executions started from here on follow Studio's splits, Set Variables types, Liquid output and time zone
 * (flow/studio-rules.ts), with the zone pinned in their state; older histories replay with the rules they ran under.
 */
export const STUDIO_FIDELITY_PATCH = 'studio-fidelity';

export function startOf(input: ExecutionInput, pinned: PinnedRevision): ExecutionStart {
  return {
    bounded: patched(BOUNDED_FLOW_CODE_PATCH),
    ...(patched(STUDIO_FIDELITY_PATCH) ? { studio: { timezone: input.timezone ?? STUDIO_TIMEZONE } } : {}),
    sid: workflowInfo().workflowId,
    flowSid: input.flowSid,
    flowRevision: pinned.revision,
    definition: pinned.definition,
    dateCreated: startedMemo()?.date_created,
    trigger: input.trigger ?? { kind: 'request' as const, to: input.to, from: input.from, parameters: input.parameters ?? {} },
  };
}

