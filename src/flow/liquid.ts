import { Liquid, type Template } from 'liquidjs';
import type { FlowContext } from './context';
import { FlowError } from './errors';
import { boundRendering } from './liquid-bounds';
import { describeBytes, MAX_RENDERED_BYTES, utf8Bytes } from './limits';
import type { StudioRules } from './studio-rules';
import { startStandaloneWork } from './work-meter';

/**
 * Liquid as Studio uses it: every string property is a template rendered against the execution context when its
 * widget is entered; missing variables render as empty strings. Two flavours, chosen by the execution's StudioRules
 * (studio-rules.ts): executions started before them render UTC dates, objects as JSON and arrays joined with commas
 * (kept so their histories replay); executions with rules render as Studio does (studioEngine).
 */
const SHARED_OPTIONS = {
  ownPropertyOnly: true,
  strictVariables: false,
  // Bounds on what one template may cost; a workflow activation must stay well inside its 5 s budget. The memory
  // limit counts characters and array items a render allocates (ranges, append, split, join, sort, ...): enough for
  // a 64 KiB value built in steps, and a range of up to a million (a loop still runs only 15 times round).
  parseLimit: 100_000,
  memoryLimit: 2_000_000,
} as const;

const legacyEngine = new Liquid({
  ...SHARED_OPTIONS,
  timezoneOffset: 0,
  outputEscape: (value: unknown) => {
    if (value === undefined || value === null) return '';
    return typeof value === 'object' && !Array.isArray(value) ? JSON.stringify(value) : String(value);
  },
});
boundRendering(legacyEngine);

/** Engines for executions with StudioRules, one per time zone (a handful at most: the zone is an operator setting). */
const studioEngines = new Map<string, Liquid>();

/**
 * Liquid as Studio renders it. Objects and arrays written as text take Studio's form (studioText); `to_json` writes a
 * value as JSON (Twilio's Studio guidance: `{{widgets.http_1.parsed.items | to_json}}` in JSON bodies); dates render
 * in the execution's zone. liquidjs takes an IANA name for `timezoneOffset` and resolves its offset for each date it
 * renders (LiquidDate.getTimezoneOffset, through Intl), so DST applies; Intl's zone data is the runtime's own, the
 * same on every worker on one Node version, so a replay renders the same text.
 */
function studioEngine(timezone: string): Liquid {
  const known = studioEngines.get(timezone);
  if (known) return known;
  const engine = new Liquid({ ...SHARED_OPTIONS, timezoneOffset: timezone, outputEscape: (value: unknown) => studioText(value) });
  engine.registerFilter('to_json', (value: unknown) => JSON.stringify(value ?? null));
  boundRendering(engine);
  studioEngines.set(timezone, engine);
  return engine;
}

/**
 * A value written as text the way Studio writes it: a string as itself, nothing as empty, an object as
 * `{key=value, key=value}` and an array as `[a, b]`, nested values in the same form (`{a={b=c}}`, `{list=[1, 2]}`),
 * and a null inside one as `null`. Evidence: Twilio's patient-appointment Functions (twilio-labs/function-templates,
 * save-*.protected.js) receive `{{flow.data}}` and parse it by stripping the braces and splitting on `, ` and `=`.
 * Arrays and nesting are inference: that form is Java's Map/List toString, which also gives `[a, b]` and nests.
 */
export function studioText(value: unknown, nested = false): string {
  if (value === undefined || value === null) return nested ? 'null' : '';
  if (Array.isArray(value)) return `[${value.map((item) => studioText(item, true)).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([key, item]) => `${key}=${studioText(item, true)}`).join(', ')}}`;
  }
  return String(value);
}

/** Thrown when a template cannot be parsed or rendered; names the template. */
export class TemplateError extends FlowError {
  constructor(
    public readonly template: string,
    reason: string,
  ) {
    super(`Liquid template ${JSON.stringify(template.length > 80 ? `${template.slice(0, 77)}...` : template)}: ${reason}`);
    this.name = 'TemplateError';
  }
}

/**
 * Parsed templates by source. Parsing is a pure function of the text, so the cache is safe to share between the
 * workflows of a worker thread; it spares each widget run a parse (the larger part of rendering). Bounded: a flow
 * whose templates are all distinct cannot grow it without end.
 */
const parsed = new Map<string, Template[]>();
const PARSED_TEMPLATES = 1_000;
/** Template source the cache holds at most (parsed templates take several times their source in memory). */
const PARSED_SOURCE_CHARS = 2_000_000;
let parsedChars = 0;

/**
 * Renders one template against the context; plain strings (no `{{` or `{%`) come back untouched. Throws a
 * TemplateError when the template does not parse or render, or goes past a bound (liquid-bounds.ts; a value over
 * {@link MAX_RENDERED_BYTES}).
 */
export function renderTemplate(template: string, context: FlowContext, studio?: StudioRules): string {
  if (!template.includes('{')) return template;
  const engine = studio ? studioEngine(studio.timezone) : legacyEngine;
  let rendered: string;
  startStandaloneWork();
  try {
    rendered = engine.renderSync(parsedTemplate(engine, template), context as unknown as Record<string, unknown>) as string;
  } catch (err) {
    throw new TemplateError(template, err instanceof Error ? err.message : String(err));
  }
  const bytes = utf8Bytes(rendered);
  if (bytes > MAX_RENDERED_BYTES) throw new TemplateError(template, `renders ${describeBytes(bytes)}, more than the ${describeBytes(MAX_RENDERED_BYTES)} a value may hold`);
  return rendered;
}

/** Parsed templates are per engine (a parse binds its filters), so the cache key names the engine's zone. */
function parsedTemplate(engine: Liquid, template: string): Template[] {
  const key = engine === legacyEngine ? template : `${String(engine.options.timezoneOffset)}\u0000${template}`;
  const cached = parsed.get(key);
  if (cached) return cached;
  const templates = engine.parse(template);
  while (parsed.size > 0 && (parsed.size >= PARSED_TEMPLATES || parsedChars + key.length > PARSED_SOURCE_CHARS)) {
    const oldest = parsed.keys().next().value!;
    parsed.delete(oldest);
    parsedChars -= oldest.length;
  }
  parsed.set(key, templates);
  parsedChars += key.length;
  return templates;
}
