import { applyChanges, type ContextChange, type JsonObject, widgetOutput } from '../context';
import type { SetVariablesProperties } from '../definition';
import { renderTemplate } from '../liquid';
import { parseJsonOr } from '../parse-text';
import { done, type WidgetHandler } from './widget-handler';

/**
 * set-variables: each entry's value is rendered (in order, so later entries see earlier ones) and stored in
 * `flow.variables.<key>` and `widgets.<name>.<key>`. With `parse_as_json` (per entry, or for the whole widget) the
 * rendered text is parsed as JSON; text that is not JSON stays a string.
 */
export const setVariablesWidget: WidgetHandler<SetVariablesProperties> = {
  type: 'set-variables',
  enter({ widget, context }) {
    const output: JsonObject = {};
    const changes: ContextChange[] = [];
    let current = context;
    for (const entry of widget.properties.variables ?? []) {
      const rendered = renderTemplate(entry.value, current);
      const value = (entry.parse_as_json ?? widget.properties.parse_as_json) ? parseJsonOr(rendered) : rendered;
      const change: ContextChange = { path: ['flow', 'variables', entry.key], value };
      changes.push(change);
      current = applyChanges(current, [change]);
      output[entry.key] = value;
    }
    return done('next', ...changes, widgetOutput(widget.name, output));
  },
};
