import { applyChanges, type ContextChange, type Json, type JsonObject, widgetOutput } from '../context';
import type { SetVariablesProperties } from '../definition';
import { renderTemplate } from '../liquid';
import { parseJsonOr } from '../parse-text';
import { done, type WidgetHandler } from './widget-handler';

/**
 * set-variables: each entry's value is rendered (in order, so later entries see earlier ones) and stored in
 * `flow.variables.<key>` and `widgets.<name>.<key>`. With `parse_as_json` (per entry, or for the whole widget) the
 * rendered text is parsed as JSON; text that is not JSON stays a string. Without it, executions under Studio's rules
 * type the value as Studio does (studioTyped); older executions store the rendered text as it is.
 */
export const setVariablesWidget: WidgetHandler<SetVariablesProperties> = {
  type: 'set-variables',
  events: ['next'],
  runnable: true,
  writes: ['*'],
  enter({ widget, context, studio }) {
    const output: JsonObject = {};
    const changes: ContextChange[] = [];
    let current = context;
    for (const entry of widget.properties.variables ?? []) {
      const rendered = renderTemplate(entry.value, current, studio);
      const asJson = entry.parse_as_json ?? widget.properties.parse_as_json;
      const value = asJson ? parseJsonOr(rendered) : studio ? studioTyped(rendered) : rendered;
      const change: ContextChange = { path: ['flow', 'variables', entry.key], value };
      changes.push(change);
      current = applyChanges(current, [change]);
      output[entry.key] = value;
    }
    return done('next', ...changes, widgetOutput(widget.name, output));
  },
};

/** A decimal number as Set Variables values are written: optional minus, digits, optional fraction. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * A rendered Set Variables value typed as Studio types it. Twilio support ("How do I use Liquid with Twilio Studio?"):
 * "A Studio variable created with the Set Variables will be numeric if you do not enclose it in quotation marks", and
 * `"1"` is a string. So: a decimal number (`3`, `-2`, `4.5`, surrounding spaces ignored) becomes a number; a value
 * enclosed in double quotes becomes the string inside them (inference: the quotes mark the type, as `"1"` shows);
 * anything else stays the rendered text. Decided where the sources are silent: a number is taken only when it comes
 * back as the same text (`007`, `1.50`, and digit strings past 2^53 such as long IDs stay strings, so no digit is
 * lost); `true`/`false` stay strings (nothing says Studio makes booleans).
 */
export function studioTyped(rendered: string): Json {
  const text = rendered.trim();
  if (DECIMAL.test(text) && String(Number(text)) === text) return Number(text);
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) return text.slice(1, -1);
  return rendered;
}
