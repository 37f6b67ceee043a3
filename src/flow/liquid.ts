import { Liquid, type Template } from 'liquidjs';
import type { FlowContext } from './context';
import { boundRendering } from './liquid-bounds';
import { describeBytes, MAX_RENDERED_BYTES, utf8Bytes } from './limits';
import { startStandaloneWork } from './work-meter';

/**
 * Liquid as Studio uses it: every string property is a template rendered against the execution context when its
 * widget is entered. UTC dates (fixed offset: the same output on every worker and every replay), missing variables
 * render as empty strings, objects as JSON, arrays joined with commas.
 */
const engine = new Liquid({
  timezoneOffset: 0,
  ownPropertyOnly: true,
  strictVariables: false,
  // Bounds on what one template may cost; a workflow activation must stay well inside its 5 s budget. The memory
  // limit counts characters and array items a render allocates (ranges, append, split, join, sort, ...): enough for
  // a 64 KiB value built in steps, and a range of up to a million (a loop still runs only 15 times round).
  parseLimit: 100_000,
  memoryLimit: 2_000_000,
  outputEscape: (value: unknown) => {
    if (value === undefined || value === null) return '';
    return typeof value === 'object' && !Array.isArray(value) ? JSON.stringify(value) : String(value);
  },
});

boundRendering(engine);

/** Thrown when a template cannot be parsed or rendered; names the template. */
export class TemplateError extends Error {
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
export function renderTemplate(template: string, context: FlowContext): string {
  if (!template.includes('{')) return template;
  let rendered: string;
  startStandaloneWork();
  try {
    rendered = engine.renderSync(parsedTemplate(template), context as unknown as Record<string, unknown>) as string;
  } catch (err) {
    throw new TemplateError(template, err instanceof Error ? err.message : String(err));
  }
  const bytes = utf8Bytes(rendered);
  if (bytes > MAX_RENDERED_BYTES) throw new TemplateError(template, `renders ${describeBytes(bytes)}, more than the ${describeBytes(MAX_RENDERED_BYTES)} a value may hold`);
  return rendered;
}

function parsedTemplate(template: string): Template[] {
  const cached = parsed.get(template);
  if (cached) return cached;
  const templates = engine.parse(template);
  while (parsed.size > 0 && (parsed.size >= PARSED_TEMPLATES || parsedChars + template.length > PARSED_SOURCE_CHARS)) {
    const oldest = parsed.keys().next().value!;
    parsed.delete(oldest);
    parsedChars -= oldest.length;
  }
  parsed.set(template, templates);
  parsedChars += template.length;
  return templates;
}
