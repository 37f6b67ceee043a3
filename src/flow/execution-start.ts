import type { ChannelContext, FlowContext, JsonObject } from './context';
import type { FlowDefinition } from './definition';
import type { StudioRules } from './studio-rules';

/**
 * How an execution was triggered: the REST API, a parent flow's run-subflow widget, a contact's SMS/MMS/WhatsApp
 * message to the flow's webhook URL (`message`), or a message added to a Conversation whose webhook points at the
 * flow (`conversation`; DESIGN.md §8).
 */
export type ExecutionTrigger =
  | { readonly kind: 'request'; readonly to: string; readonly from: string; readonly parameters: JsonObject }
  | {
      readonly kind: 'message';
      /** The Messaging webhook's fields as Twilio posted them (`From` = the contact, `To` = the flow's number). */
      readonly message: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: 'conversation';
      /** The onMessageAdded webhook's fields as Twilio posted them. */
      readonly conversation: Readonly<Record<string, string>>;
      /** The conversation as the execution's channel (`flow.channel`, status `active`). */
      readonly channel: ChannelContext;
      /** Who wrote the message (its `Author`): `contact.channel.address`. */
      readonly contactAddress: string;
    }
  | {
      readonly kind: 'parent';
      readonly parameters: JsonObject;
      readonly executionSid: string;
      readonly flowSid: string;
      readonly stepSid: string;
      /** The parent's own trigger event (`incomingRequest`, `incomingMessage`, …; `incomingParent` for a nested subflow). */
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
  if (trigger.kind === 'message') {
    const { From: contact = '', To: address = '' } = trigger.message;
    return {
      flow: { ...base, channel: { address }, data: {} },
      trigger: { message: { ...trigger.message } },
      widgets: {},
      contact: { channel: { address: contact } },
    };
  }
  if (trigger.kind === 'conversation') {
    return {
      flow: { ...base, channel: trigger.channel, data: {} },
      trigger: { conversation: { ...trigger.conversation } },
      widgets: {},
      contact: { channel: { address: trigger.contactAddress } },
    };
  }
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

/** The Trigger widget's event that started the execution (Studio's trigger events, studio-spec §1.3). */
export function triggerEvent(trigger: ExecutionTrigger): string {
  switch (trigger.kind) {
    case 'request':
      return 'incomingRequest';
    case 'parent':
      return 'incomingParent';
    case 'message':
      return 'incomingMessage';
    case 'conversation':
      return 'incomingConversationMessage';
  }
}

/** The trigger event an execution's context shows it was started by (what a subflow's `trigger_type` reports). */
export function triggerEventOf(context: FlowContext): string {
  if (context.trigger.request) return 'incomingRequest';
  if (context.trigger.message) return 'incomingMessage';
  if (context.trigger.conversation) return 'incomingConversationMessage';
  return 'incomingParent';
}
