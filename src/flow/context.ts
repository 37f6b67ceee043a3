import { EmptyContextPathError } from './errors';

/** A JSON value, as the execution context holds only data that survives a round trip through Temporal. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** `flow.channel`: the Twilio-side address, and the conversation once start-conversation created one. */
export interface ChannelContext {
  readonly address: string;
  readonly sid?: string;
  readonly type?: 'conversation';
  readonly status?: 'active' | 'ended' | 'handed_off';
  readonly details?: JsonObject;
}

/** Studio's execution context: the four namespaces Liquid templates read (DESIGN.md §5). */
export interface FlowContext {
  readonly flow: {
    /** The execution SID (FN…), as Studio names it. */
    readonly sid: string;
    readonly flow_sid: string;
    readonly channel: ChannelContext;
    /** The REST `Parameters`. */
    readonly data: JsonObject;
    readonly variables: JsonObject;
    /** Why the execution ended abnormally (a limit, an unsupported widget); absent otherwise. */
    readonly error?: { readonly code: number; readonly message: string };
  };
  readonly trigger: {
    readonly request?: { readonly to: string; readonly from: string; readonly parameters: JsonObject };
    readonly parent?: {
      readonly parameters: JsonObject;
      readonly execution_sid: string;
      readonly flow_sid: string;
      readonly step_sid: string;
      /** How the parent execution was triggered (`incomingRequest`). */
      readonly trigger_type: string;
    };
    /** `incomingMessage`: the Programmable Messaging webhook's fields, every one kept (`Body`, `From`, `To`, …). */
    readonly message?: JsonObject;
    /** `incomingConversationMessage`: the onMessageAdded webhook's fields (`ConversationSid`, `Author`, `Body`, …). */
    readonly conversation?: JsonObject;
  };
  readonly widgets: JsonObject;
  readonly contact: { readonly channel: { readonly address: string } };
}

/** One change a step made to the context: set `value` at `path`, or remove it when `value` is undefined. */
export interface ContextChange {
  readonly path: readonly string[];
  readonly value?: Json;
}

/** Applies changes without mutating `context`: only the objects along each path are copied. */
export function applyChanges(context: FlowContext, changes: readonly ContextChange[]): FlowContext {
  let result = context as unknown as JsonObject;
  for (const change of changes) result = setIn(result, change.path, change.value);
  return result as unknown as FlowContext;
}

function setIn(target: JsonObject, path: readonly string[], value: Json | undefined): JsonObject {
  const [head, ...rest] = path;
  if (head === undefined) throw new EmptyContextPathError(value);
  const copy: JsonObject = { ...target };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head];
    else copy[head] = value;
    return copy;
  }
  const child = copy[head];
  const base = typeof child === 'object' && child !== null && !Array.isArray(child) ? child : {};
  copy[head] = setIn(base, rest, value);
  return copy;
}

/** The conversation's service and the execution's webhook on it, as start-conversation recorded them in `details`. */
export function conversationIds(channel: ChannelContext): { readonly serviceSid?: string; readonly webhookSid?: string } {
  const text = (value: Json | undefined) => (typeof value === 'string' ? value : undefined);
  return { serviceSid: text(channel.details?.chat_service_sid), webhookSid: text(channel.details?.webhook_sid) };
}

/** Sets `widgets.<name>`: what a widget's step writes. */
export function widgetOutput(name: string, output: JsonObject): ContextChange {
  return { path: ['widgets', name], value: output };
}
