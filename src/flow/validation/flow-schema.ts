import { SPLIT_OPERATORS } from '../definition';
import { WIDGET_CATALOG, WIDGET_TYPES } from '../widget-catalog';

/**
 * JSON Schema (draft-07) for the structure of a flow definition. Widget properties allow keys the schema does not
 * know (Studio adds keys over time); validate-flow.ts reports those as warnings. Semantics (names, targets, limits)
 * are checked in code by semantic-rules.ts.
 */
const str = { type: 'string' };
const numberLike = { type: ['integer', 'string'] };
const keyValueList = {
  type: 'array',
  items: {
    type: 'object',
    required: ['key', 'value'],
    properties: { key: { type: 'string', minLength: 1 }, value: str, parse_as_json: { type: 'boolean' }, type: str },
  },
};
const offset = {
  type: 'object',
  required: ['x', 'y'],
  properties: { x: { type: 'number' }, y: { type: 'number' } },
};

/** Known property keys of each runnable widget type, with their schema. */
export const WIDGET_PROPERTY_SCHEMAS: Record<string, { required?: string[]; properties: Record<string, unknown> }> = {
  trigger: { properties: {} },
  'set-variables': { properties: { variables: keyValueList, parse_as_json: { type: 'boolean' } } },
  'split-based-on': { required: ['input'], properties: { input: str } },
  'make-http-request': {
    required: ['method', 'url'],
    properties: {
      method: { enum: ['GET', 'POST'] },
      url: str,
      content_type: str,
      body: str,
      parameters: keyValueList,
      add_twilio_auth: { type: 'boolean' },
    },
  },
  'run-function': {
    required: ['url'],
    properties: { url: str, service_sid: str, environment_sid: str, function_sid: str, parameters: keyValueList },
  },
  'send-message': { properties: messagingProperties() },
  'send-and-wait-for-reply': { properties: { ...messagingProperties(), timeout: numberLike, save_response_as: str } },
  'run-subflow': { required: ['flow_sid'], properties: { flow_sid: str, flow_revision: numberLike, parameters: keyValueList } },
  'send-to-flex': {
    required: ['workflow', 'channel'],
    properties: {
      workflow: str,
      channel: str,
      attributes: str,
      priority: numberLike,
      timeout: numberLike,
      waitUrl: str,
      waitUrlMethod: str,
    },
  },
  'start-conversation': {
    required: ['participants'],
    properties: {
      conversation_service_sid: str,
      messaging_service_sid: str,
      unique_name: str,
      friendly_name: str,
      attributes: str,
      timers: { type: 'object', additionalProperties: false, properties: { inactive: str, closed: str } },
      email_binding: { type: 'object', additionalProperties: false, properties: { address: str, name: str } },
      participants: { type: 'array', minItems: 1, items: participantSchema() },
    },
  },
};

function messagingProperties(): Record<string, unknown> {
  const keys = ['body', 'from', 'to', 'service', 'channel', 'media_url', 'attributes', 'message_type', 'content_sid'];
  return { ...Object.fromEntries(keys.map((key) => [key, str])), content_variables: {} };
}

function participantSchema(): Record<string, unknown> {
  return {
    type: 'object',
    required: ['type'],
    additionalProperties: false,
    properties: {
      type: { enum: ['sms', 'whatsapp', 'chat'] },
      identity: str,
      messaging_binding_address: str,
      messaging_binding_proxy_address: str,
      attributes: str,
      role_sid: str,
    },
    allOf: [
      { if: { properties: { type: { const: 'chat' } } }, then: { required: ['identity'] } },
      {
        if: { properties: { type: { enum: ['sms', 'whatsapp'] } } },
        then: { required: ['messaging_binding_address', 'messaging_binding_proxy_address'] },
      },
    ],
  };
}

/** One `if type is X then …` branch per known widget type: its events and, when it runs, its properties. */
function perTypeRules(): unknown[] {
  return WIDGET_TYPES.map((type) => {
    const props = WIDGET_PROPERTY_SCHEMAS[type];
    return {
      if: { properties: { type: { const: type } }, required: ['type'] },
      then: {
        properties: {
          transitions: { items: { properties: { event: { enum: WIDGET_CATALOG[type]!.events } } } },
          ...(props ? { properties: { type: 'object', required: props.required ?? [], properties: { offset, ...props.properties } } } : {}),
        },
      },
    };
  });
}

export const FLOW_SCHEMA_ID = 'https://schemas.twilio.com/studio/draft/2019-09/flow-definition';

export const flowSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['initial_state', 'states'],
  additionalProperties: false,
  properties: {
    $schema: { const: FLOW_SCHEMA_ID },
    description: str,
    initial_state: { type: 'string', minLength: 1 },
    flags: {
      type: 'object',
      required: ['allow_concurrent_calls'],
      properties: { allow_concurrent_calls: { type: 'boolean' } },
    },
    states: { type: 'array', minItems: 1, maxItems: 1000, items: { $ref: '#/definitions/state' } },
  },
  definitions: {
    state: {
      type: 'object',
      required: ['name', 'type', 'transitions'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1 },
        type: { enum: WIDGET_TYPES },
        transitions: { type: 'array', items: { $ref: '#/definitions/transition' } },
        properties: { type: 'object' },
      },
      allOf: perTypeRules(),
    },
    transition: {
      type: 'object',
      required: ['event'],
      additionalProperties: false,
      properties: {
        event: str,
        next: str,
        conditions: { type: 'array', items: { $ref: '#/definitions/condition' } },
      },
    },
    condition: {
      type: 'object',
      required: ['arguments', 'type', 'value'],
      properties: {
        friendly_name: str,
        arguments: { type: 'array', minItems: 1, items: str },
        type: { enum: SPLIT_OPERATORS },
        value: str,
      },
    },
  },
} as const;
