import { WIDGET_DECLARATIONS } from './widgets/registry';
import type { WidgetFacts } from './widgets/widget-handler';

/**
 * What validation needs to know of a widget type: the transition events Studio allows for it and whether this
 * product runs it. Voice widgets are known (flows that contain them validate) but not run.
 */
export type WidgetTypeInfo = WidgetFacts;

/** Every Studio widget type this product knows, by type string, as each widget's own file declares it. */
export const WIDGET_CATALOG: Readonly<Record<string, WidgetTypeInfo>> = Object.fromEntries(
  WIDGET_DECLARATIONS.map((declaration) => [declaration.type, declaration]),
);

/** Every known type string, in the catalog's order. */
export const WIDGET_TYPES = Object.keys(WIDGET_CATALOG);

/** Whether this runtime runs widgets of `type` (false for a type it does not know). */
export function isRunnableWidgetType(type: string): boolean {
  return WIDGET_CATALOG[type]?.runnable === true;
}
