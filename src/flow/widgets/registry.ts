import { makeHttpRequestWidget } from './make-http-request';
import { resumeConversationWidget } from './resume-conversation';
import { runFunctionWidget } from './run-function';
import { runSubflowWidget } from './run-subflow';
import { sendAndWaitForReplyWidget } from './send-and-wait-for-reply';
import { sendMessageWidget } from './send-message';
import { sendToFlexWidget } from './send-to-flex';
import { setVariablesWidget } from './set-variables';
import { splitBasedOnWidget } from './split-based-on';
import { startConversationWidget } from './start-conversation';
import { triggerWidget } from './trigger';
import { voiceWidgets } from './voice';
import type { WidgetFacts, WidgetHandler } from './widget-handler';

/**
 * Every Studio widget type this product knows, one declaration each, from the widget's own file: the ones it runs,
 * then the ones it only knows. The order is the catalog's (the flow schema lists types in it).
 */
export const WIDGET_DECLARATIONS: readonly (WidgetFacts | WidgetHandler<never>)[] = [
  triggerWidget,
  setVariablesWidget,
  splitBasedOnWidget,
  makeHttpRequestWidget,
  runFunctionWidget,
  sendMessageWidget,
  sendAndWaitForReplyWidget,
  runSubflowWidget,
  sendToFlexWidget,
  startConversationWidget,
  resumeConversationWidget,
  ...voiceWidgets,
];

function hasHandler(declaration: WidgetFacts | WidgetHandler<never>): declaration is WidgetHandler<never> {
  return 'enter' in declaration;
}

/** The handler of every widget type this runtime runs, by Studio type string. The trigger is fired by the interpreter. */
export const WIDGET_HANDLERS: ReadonlyMap<string, WidgetHandler> = new Map(
  WIDGET_DECLARATIONS.filter(hasHandler).map((handler) => [handler.type, handler as unknown as WidgetHandler]),
);

/**
 * The event a widget takes when it cannot run as configured (a template that does not render), by type. Widgets
 * without a failure event (set-variables, split-based-on) end the execution instead.
 */
export const FAILURE_EVENTS: Readonly<Record<string, string>> = Object.fromEntries(
  WIDGET_DECLARATIONS.flatMap((declaration) => (declaration.failureEvent ? [[declaration.type, declaration.failureEvent]] : [])),
);
