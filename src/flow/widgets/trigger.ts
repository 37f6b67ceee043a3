import type { WidgetFacts } from './widget-handler';

/**
 * trigger: the flow's first widget. The interpreter fires it itself (`incomingRequest` for a REST API start,
 * `incomingParent` for a subflow), so it has no handler; the message and call triggers are Studio's but not run
 * here (the flow's `webhook_url` answers 501). It writes `trigger.*`, nothing under `widgets.<name>`.
 */
export const triggerWidget: WidgetFacts = {
  type: 'trigger',
  events: ['incomingMessage', 'incomingCall', 'incomingConversationMessage', 'incomingRequest', 'incomingParent'],
  runnable: true,
  writes: [],
};
