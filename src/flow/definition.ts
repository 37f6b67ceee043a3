/**
 * Types for Studio's flow definition JSON (the document Studio exports and `Definition` carries in the REST API).
 * Keys keep Studio's snake_case spelling so an export round-trips unchanged.
 */

/** Canvas position in Studio's editor; no runtime meaning. */
export interface Offset {
  readonly x: number;
  readonly y: number;
}

export interface FlowDefinition {
  readonly description?: string;
  readonly states: readonly WidgetState[];
  readonly initial_state: string;
  readonly flags?: { readonly allow_concurrent_calls: boolean };
}

export interface Transition {
  readonly event: string;
  /** Missing or empty: the execution ends when this event fires. */
  readonly next?: string;
  /** Only on split-based-on `match` transitions. */
  readonly conditions?: readonly SplitCondition[];
}

export interface WidgetState<P = WidgetProperties> {
  readonly name: string;
  readonly type: string;
  readonly transitions: readonly Transition[];
  readonly properties: P;
}

/** Properties of any widget: known keys are typed per widget below; every widget may carry its canvas offset. */
export interface WidgetProperties {
  readonly offset?: Offset;
  readonly [key: string]: unknown;
}

/** Studio stores many numbers as strings (`"timeout": "3600"`); both forms are accepted. */
export type NumberLike = number | string;

export interface KeyValue {
  readonly key: string;
  readonly value: string;
  /** Parse the rendered value as JSON (set-variables' and run-subflow's "Parse as JSON" option). */
  readonly parse_as_json?: boolean;
}

export const SPLIT_OPERATORS = [
  'equal_to',
  'not_equal_to',
  'matches_any_of',
  'does_not_match_any_of',
  'contains',
  'does_not_contain',
  'starts_with',
  'does_not_start_with',
  'is_blank',
  'is_not_blank',
  'regex',
  'less_than',
  'greater_than',
  'is_before_date',
  'is_after_date',
  'is_before_time',
  'is_after_time',
] as const;
export type SplitOperator = (typeof SPLIT_OPERATORS)[number];

export interface SplitCondition {
  readonly friendly_name: string;
  readonly arguments: readonly string[];
  readonly type: SplitOperator;
  readonly value: string;
}

export interface SetVariablesProperties extends WidgetProperties {
  readonly variables?: readonly KeyValue[];
}

export interface SplitBasedOnProperties extends WidgetProperties {
  readonly input: string;
}

export interface MakeHttpRequestProperties extends WidgetProperties {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly content_type?: string;
  readonly body?: string;
  readonly parameters?: readonly KeyValue[];
  readonly add_twilio_auth?: boolean;
}

export interface RunFunctionProperties extends WidgetProperties {
  readonly url: string;
  readonly service_sid?: string;
  readonly environment_sid?: string;
  readonly function_sid?: string;
  readonly parameters?: readonly KeyValue[];
}

export interface SendMessageProperties extends WidgetProperties {
  readonly body?: string;
  readonly from?: string;
  readonly to?: string;
  readonly service?: string;
  readonly channel?: string;
  readonly media_url?: string;
  readonly attributes?: string;
  /** A Content template SID (`HX…`), Liquid allowed. */
  readonly content_sid?: string;
  /** The template's variables: Studio's `[{key, value}]` list, an object, or a JSON object as text; Liquid allowed. */
  readonly content_variables?: ContentVariables;
}

export type ContentVariables = readonly KeyValue[] | Readonly<Record<string, string>> | string;

export interface SendAndWaitForReplyProperties extends Omit<SendMessageProperties, 'to'> {
  /** Seconds to wait for a reply; Studio's default is 3600. */
  readonly timeout?: NumberLike;
}

export interface RunSubflowProperties extends WidgetProperties {
  readonly flow_sid: string;
  /** `LatestPublished`, `LatestRevision` or a revision number. */
  readonly flow_revision?: NumberLike;
  readonly parameters?: readonly KeyValue[];
}

export interface SendToFlexProperties extends WidgetProperties {
  readonly workflow: string;
  readonly channel: string;
  readonly attributes?: string;
  readonly priority?: NumberLike;
  readonly timeout?: NumberLike;
}

export interface StartConversationParticipant {
  readonly type: 'sms' | 'whatsapp' | 'chat';
  readonly identity?: string;
  readonly messaging_binding_address?: string;
  readonly messaging_binding_proxy_address?: string;
  readonly attributes?: string;
  readonly role_sid?: string;
}

export interface StartConversationProperties extends WidgetProperties {
  readonly conversation_service_sid?: string;
  readonly messaging_service_sid?: string;
  readonly unique_name?: string;
  readonly friendly_name?: string;
  readonly attributes?: string;
  readonly timers?: { readonly inactive?: string; readonly closed?: string };
  readonly email_binding?: { readonly address?: string; readonly name?: string };
  readonly participants: readonly StartConversationParticipant[];
}
