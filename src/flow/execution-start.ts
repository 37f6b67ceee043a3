import type { ChannelContext, FlowContext, JsonObject } from './context';
import type { FlowDefinition } from './definition';
import type { StudioRules } from './studio-rules';

/** How an execution was triggered: the REST API, or a parent flow's run-subflow widget. */
export type ExecutionTrigger =
  | { readonly kind: 'request'; readonly to: string; readonly from: string; readonly parameters: JsonObject }
  | {
      readonly kind: 'parent';
      readonly parameters: JsonObject;
      readonly executionSid: string;
      readonly flowSid: string;
      readonly stepSid: string;
      /** The parent's own trigger event; subflows run only under REST-triggered executions here. */
      readonly triggerType: string;
      readonly contactAddress: string;
      readonly channel: ChannelContext;
    };

export interface ExecutionStart {
  readonly sid: string;
  readonly flowSid: string;
  readonly flowRevision: number;
  readonly definition: FlowDefinition;
  readonly trigger: ExecutionTrigger;
  /** When the starter already dated the execution (so every view of it shows the same date). */
  readonly dateCreated?: string;
  /** Check widgets' writes and requests against the size limits (ExecutionState.bounded). */
  readonly bounded?: boolean;
  /** Studio's semantics for this execution (ExecutionState.studio); absent for executions started before them. */
  readonly studio?: StudioRules;
}

/** The context an execution starts with: the four namespaces of DESIGN.md §5, from its trigger. */
export function initialContext(start: ExecutionStart): FlowContext {
  const { trigger } = start;
  const base = { sid: start.sid, flow_sid: start.flowSid, variables: {} };
  if (trigger.kind === 'request') {
    return {
      flow: { ...base, channel: { address: trigger.from }, data: trigger.parameters },
      trigger: { request: { to: trigger.to, from: trigger.from, parameters: trigger.parameters } },
      widgets: {},
      contact: { channel: { address: trigger.to } },
    };
  }
  const parent = {
    parameters: trigger.parameters,
    execution_sid: trigger.executionSid,
    flow_sid: trigger.flowSid,
    step_sid: trigger.stepSid,
    trigger_type: trigger.triggerType,
  };
  return { flow: { ...base, channel: trigger.channel, data: {} }, trigger: { parent }, widgets: {}, contact: { channel: { address: trigger.contactAddress } } };
}
