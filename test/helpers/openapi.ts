import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

/** Copies of Twilio's OpenAPI files kept in the repository (see the README there). */
export const TWILIO_OAI_DIR = join(__dirname, '..', 'fixtures', 'twilio-oai');

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks response bodies against one of Twilio's OpenAPI files, strictly: Twilio's schemas list fields without
 * `required` or `additionalProperties: false`, and both are added, so a body fails when it lacks a documented field
 * or carries an undocumented one.
 */
export class OpenApiResponses {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly document: Json;
  private readonly cache = new Map<string, ValidateFunction>();
  private readonly templates: Array<{ template: string; pattern: RegExp }>;

  constructor(file: 'twilio_conversations_v1.json' | 'twilio_studio_v2.json' | 'twilio_api_v2010.json') {
    addFormats(this.ajv);
    // Twilio's own format for `links` objects; formats only constrain strings, so it never rejects anything.
    this.ajv.addFormat('uri-map', true);
    if (file === 'twilio_api_v2010.json') add2010Formats(this.ajv);
    const parsed: unknown = JSON.parse(readFileSync(join(TWILIO_OAI_DIR, file), 'utf8'));
    if (!isObject(parsed) || !isObject(parsed.paths)) throw new Error(`${file} is not an OpenAPI document`);
    this.document = parsed;
    this.ajv.addSchema({ components: exact(parsed.components) }, 'oai');
    this.templates = Object.keys(parsed.paths)
      .map((template) => ({ template, pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`) }))
      // Literal segments win over parameters: /v2/Flows/Validate before /v2/Flows/{Sid}.
      .sort((a, b) => a.template.split('{').length - b.template.split('{').length);
  }

  /** The validator for `paths[template][method].responses[status]`'s JSON schema, compiled on first use. */
  validator(template: string, method: string, status: number): ValidateFunction {
    const key = `${method.toLowerCase()} ${template} ${status}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const schema = at(this.document, 'paths', template, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema');
    const compiled = this.ajv.compile(exact(rebaseRefs(schema)) as Json);
    this.cache.set(key, compiled);
    return compiled;
  }

  /** Errors of `body` as the answer to `method` on the concrete `path` (`/v2/Flows/FW…`); [] when it conforms. */
  errorsFor(path: string, method: string, status: number, body: unknown): string[] {
    const template = this.templates.find((t) => t.pattern.test(path))?.template;
    if (!template) throw new Error(`No operation in the OpenAPI file matches ${method} ${path}`);
    const validate = this.validator(template, method, status);
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  }
}

/**
 * The 2010 API's own formats, checked by what Twilio documents for them; its page and resource URIs are relative to
 * api.twilio.com (`/2010-04-01/…`) where the OAI says `uri`.
 */
function add2010Formats(ajv: Ajv): void {
  ajv.addFormat('date-time-rfc-2822', /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
  ajv.addFormat('http-method', /^(GET|POST)$/);
  ajv.addFormat('phone-number', /^(whatsapp:)?\+[1-9]\d{1,14}$/);
  ajv.addFormat('currency', /^[A-Z]{3}$/);
  ajv.addFormat('phone-number-capabilities', true);
  ajv.addFormat('uri', (value: string) => value.startsWith('/2010-04-01/') || URL.canParse(value));
}

function at(value: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>((node, key) => {
    if (!isObject(node) || !(key in node)) throw new Error(`The OpenAPI document has no ${keys.join(' → ')}`);
    return node[key];
  }, value);
}

/**
 * Every listed property required and nothing else allowed. An untyped `nullable` field already admits null; Ajv
 * refuses `nullable` without a `type`, so it is dropped there.
 */
function exact(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(exact);
  if (!isObject(schema)) return schema;
  const copy: Json = Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => key !== 'nullable' || 'type' in schema)
      .map(([key, value]) => [key, key === 'properties' ? value : exact(value)]),
  );
  if (isObject(schema.properties)) {
    copy.properties = Object.fromEntries(Object.entries(schema.properties).map(([name, value]) => [name, exact(value)]));
    copy.required = Object.keys(schema.properties);
    copy.additionalProperties = false;
  }
  return copy;
}

/** Points local `#/…` references at the document registered under `oai`. */
function rebaseRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebaseRefs);
  if (!isObject(schema)) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' ? `oai${value}` : rebaseRefs(value)]),
  );
}
