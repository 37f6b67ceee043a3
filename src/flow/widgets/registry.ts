import { makeHttpRequestWidget } from './make-http-request';
import { runFunctionWidget } from './run-function';
import { runSubflowWidget } from './run-subflow';
import { sendAndWaitForReplyWidget } from './send-and-wait-for-reply';
import { sendMessageWidget } from './send-message';
import { sendToFlexWidget } from './send-to-flex';
import { setVariablesWidget } from './set-variables';
import { splitBasedOnWidget } from './split-based-on';
import { startConversationWidget } from './start-conversation';
import type { WidgetHandler } from './widget-handler';

/** Every widget type this runtime runs, by Studio type string. The trigger is handled by the interpreter. */
const handlers: readonly WidgetHandler<never>[] = [
  setVariablesWidget,
  splitBasedOnWidget,
  makeHttpRequestWidget,
  runFunctionWidget,
  sendMessageWidget,
  sendAndWaitForReplyWidget,
  startConversationWidget,
  runSubflowWidget,
  sendToFlexWidget,
];

export const WIDGET_HANDLERS: ReadonlyMap<string, WidgetHandler> = new Map(
  handlers.map((handler) => [handler.type, handler as unknown as WidgetHandler]),
);

/**
 * The event a widget takes when it cannot run as configured (a template that does not render). Widgets without a
 * failure event (set-variables, split-based-on) end the execution instead.
 */
export const FAILURE_EVENTS: Readonly<Record<string, string>> = {
  'make-http-request': 'failed',
  'run-function': 'fail',
  'send-message': 'failed',
  'send-and-wait-for-reply': 'deliveryFailure',
  'start-conversation': 'failed',
  'run-subflow': 'failed',
  'send-to-flex': 'callFailure',
};
