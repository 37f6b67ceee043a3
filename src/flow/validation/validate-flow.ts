import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { FlowDefinition } from '../definition';
import { WIDGET_CATALOG } from '../widget-catalog';
import { flowSchema, WIDGET_PROPERTY_SCHEMAS } from './flow-schema';
import { type FlowIssue, type FlowValidationResult, pointer } from './issues';
import { semanticIssues } from './semantic-rules';

let compiled: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  // verbose: errors carry the offending value, which Studio-style "integer found, string expected" messages need.
  compiled ??= new Ajv({ allErrors: true, strict: false, verbose: true }).compile(flowSchema);
  return compiled;
}

/**
 * Validates a parsed flow definition like Studio does: structure by JSON Schema, then semantics by code. Pure and
 * deterministic, so the API, the CLI and the flow workflow's update validator all give the same answer.
 */
export function validateFlow(definition: unknown): FlowValidationResult {
  const validate = schemaValidator();
  if (!validate(definition)) {
    return { valid: false, errors: dedupe((validate.errors ?? []).flatMap(toIssue)), warnings: [] };
  }
  const flow = definition as FlowDefinition;
  const errors = semanticIssues(flow);
  return { valid: errors.length === 0, errors, warnings: warningsFor(flow) };
}

/** Parses `Definition` text (the REST API sends it as a JSON string) and validates it. */
export function validateFlowText(text: string): FlowValidationResult & { definition?: FlowDefinition } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { valid: false, errors: [{ property_path: '#', message: `is not valid JSON: ${reason}` }], warnings: [] };
  }
  const result = validateFlow(parsed);
  return result.valid ? { ...result, definition: parsed as FlowDefinition } : result;
}

const MESSAGING_WIDGETS = ['send-message', 'send-and-wait-for-reply'];
/** Media reaches a contact over Programmable Messaging only (see CONVERSATION_MEDIA_REFUSED in the effect runner). */
const CONVERSATION_MEDIA_WARNING =
  'is sent over Programmable Messaging only: when the execution has a conversation, the widget fails instead of sending (Conversations take media only as Media Content Service uploads, which studio-temporal does not make)';

function warningsFor(flow: FlowDefinition): FlowIssue[] {
  const warnings: FlowIssue[] = [];
  flow.states.forEach((state, i) => {
    if (!WIDGET_CATALOG[state.type]?.runnable) {
      warnings.push({
        property_path: pointer('states', i, 'type'),
        message: `widget type '${state.type}' is not run by studio-temporal; an execution that reaches '${state.name}' ends with an error`,
      });
      return;
    }
    const known = WIDGET_PROPERTY_SCHEMAS[state.type]?.properties ?? {};
    for (const key of Object.keys(state.properties ?? {})) {
      if (key !== 'offset' && !(key in known)) {
        warnings.push({ property_path: pointer('states', i, 'properties', key), message: `is not a property of ${state.type}; it is ignored` });
      }
    }
    if (MESSAGING_WIDGETS.includes(state.type) && typeof state.properties?.media_url === 'string' && state.properties.media_url.trim() !== '') {
      warnings.push({ property_path: pointer('states', i, 'properties', 'media_url'), message: CONVERSATION_MEDIA_WARNING });
    }
  });
  return warnings;
}

/** Ajv's errors in the wording Studio (a networknt JSON-schema validator) uses. */
function toIssue(error: ErrorObject): FlowIssue[] {
  const path = `#${error.instancePath}`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'if':
      return []; // the failing branch's own errors say what is wrong
    case 'required':
      return [{ property_path: `${path}/${String(params.missingProperty)}`, message: 'is missing but it is required' }];
    case 'additionalProperties':
      return [{
        property_path: `${path}/${String(params.additionalProperty)}`,
        message: 'is not defined in the schema and the schema does not allow additional properties',
      }];
    case 'type':
      return [{ property_path: path, message: `${jsonType(error.data)} found, ${[params.type].flat().join(' or ')} expected` }];
    case 'enum':
      return [{ property_path: path, message: `does not have a value in the enumeration [${(params.allowedValues as unknown[]).join(', ')}]` }];
    case 'const':
      return [{ property_path: path, message: `must be a constant value ${String(params.allowedValue)}` }];
    case 'minItems':
      return [{ property_path: path, message: `there must be a minimum of ${String(params.limit)} items in the array` }];
    case 'maxItems':
      return [{ property_path: path, message: `there must be a maximum of ${String(params.limit)} items in the array` }];
    case 'minLength':
      return [{ property_path: path, message: `must be at least ${String(params.limit)} characters long` }];
    default:
      return [{ property_path: path, message: error.message ?? `fails the ${error.keyword} rule` }];
  }
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function dedupe(issues: FlowIssue[]): FlowIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.property_path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
