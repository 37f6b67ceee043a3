import { ChildWorkflowCancellationType, ParentClosePolicy, patched, startChild } from '@temporalio/workflow';
import type { ChannelContext, FlowContext } from '../../flow/context';
import type { RunSubflowEffect } from '../../flow/effects';
import { triggerEventOf } from '../../flow/execution-start';
import { SUBFLOW_ERROR } from '../../flow/widgets/run-subflow';
import { interruptible, INTERRUPTED } from '../interruptible';
import { flowStoreActivities } from './activity-proxies';
import { activityFailure } from './conversation-effects';
import { summary } from './summaries';
import { SUBFLOW_HAND_OFF_PATCH } from './subflow-patches';

export { SUBFLOW_HAND_OFF_PATCH };
import type { EffectOutcome } from './effect-runner';
import type { ExecutionInput } from '../contracts/execution-messages';
import type { executionWorkflow } from './execution-workflow';

/** What the parent execution lends its subflow. */
export interface SubflowHost {
  /** The parent's execution SID (its workflow ID). */
  readonly executionSid: string;
  readonly context: FlowContext;
  /** The zone the parent renders Liquid dates in (its StudioRules); its subflows render in the same one. */
  readonly timezone?: string;
  /** While it runs, replies to the execution's conversation go to the child. */
  childStarted(workflowId: string, stepSid: string): void;
  childEnded(): void;
}

/**
 * Runs a subflow as a child execution (workflow ID `<parent FN>/<run-subflow step FT>`): resolves and pins the
 * revision, hands the child the parent's channel (one conversation per execution, across both), and reports what the
 * child leaves behind. Ending the parent cancels the child.
 */
export async function runSubflow(effect: RunSubflowEffect, host: SubflowHost, interrupted: () => boolean, label: string): Promise<EffectOutcome> {
  let pinned;
  try {
    const reading = summary(label, `read subflow ${effect.flowSid} revision ${effect.revision}`);
    pinned = await flowStoreActivities.resolveFlowRevision.executeWithOptions({ summary: reading }, [effect.flowSid, effect.revision]);
  } catch (err) {
    return { kind: 'subflowFailed', error: { code: SUBFLOW_ERROR, message: activityFailure(err).message } };
  }
  const workflowId = `${host.executionSid}/${effect.stepSid}`;
  const { context } = host;
  const input: ExecutionInput = {
    flowSid: effect.flowSid,
    to: context.contact.channel.address,
    from: context.flow.channel.address,
    definition: pinned.definition,
    flowRevision: pinned.revision,
    ...(host.timezone ? { timezone: host.timezone } : {}),
    trigger: {
      kind: 'parent',
      parameters: effect.parameters,
      executionSid: host.executionSid,
      flowSid: context.flow.flow_sid,
      stepSid: effect.stepSid,
      triggerType: triggerEventOf(context),
      contactAddress: context.contact.channel.address,
      channel: context.flow.channel,
    },
  };
  host.childStarted(workflowId, effect.stepSid);
  try {
    const view = await interruptible(async () => {
      const child = await startChild<typeof executionWorkflow>('executionWorkflow', {
        workflowId,
        args: [input],
        staticSummary: summary(label, `subflow ${effect.flowSid} revision ${pinned.revision}`),
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        cancellationType: ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
      });
      return child.result();
    }, interrupted);
    if (view === INTERRUPTED) return { kind: 'interrupted' };
    const { flow } = view.context;
    return { kind: 'subflowCompleted', child: { workflowId, variables: flow.variables, channel: channelBack(flow.channel, context.flow.channel), error: flow.error, steps: view.steps ?? [] } };
  } catch (err) {
    const reason = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    return { kind: 'subflowFailed', error: { code: SUBFLOW_ERROR, message: `the subflow failed: ${reason}` } };
  } finally {
    host.childEnded();
  }
}

/**
 * The channel the child hands back. Before SUBFLOW_HAND_OFF_PATCH the parent took the child's channel only when its
 * SID differed: a history recorded then replays with the parent's own channel for the lent conversation.
 */
function channelBack(child: ChannelContext, lent: ChannelContext): ChannelContext {
  if (!child.sid || child.sid !== lent.sid || child.status === lent.status) return child;
  return patched(SUBFLOW_HAND_OFF_PATCH) ? child : lent;
}
