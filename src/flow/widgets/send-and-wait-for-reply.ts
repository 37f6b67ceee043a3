import { widgetOutput } from '../context';
import type { SendAndWaitForReplyProperties } from '../definition';
import { failedOutbound, outboundMessage, outboundOutput } from './messaging';
import { done, effect, type WidgetHandler } from './widget-handler';
import { UnexpectedEffectResultError } from '../errors';

/** Studio's default wait for a reply. */
export const DEFAULT_REPLY_TIMEOUT_SECONDS = 3600;

/**
 * send-and-wait-for-reply: sends, then waits `timeout` seconds for the contact's reply. `incomingMessage` with
 * `inbound.*` (the webhook's fields) when it comes, `timeout` when it does not, `deliveryFailure` when the send
 * failed. The workflow marks the widget as waiting before it sends, so an instant reply is not lost.
 */
export const sendAndWaitForReplyWidget: WidgetHandler<SendAndWaitForReplyProperties> = {
  type: 'send-and-wait-for-reply',
  events: ['incomingMessage', 'timeout', 'deliveryFailure'],
  runnable: true,
  failureEvent: 'deliveryFailure',
  writes: ['outbound', 'inbound', 'error'],
  enter(run) {
    const refuse = (reason: string) => done('deliveryFailure', widgetOutput(run.widget.name, { outbound: failedOutbound({ message: reason }) }));
    const timeoutSeconds = replyTimeout(run.widget.properties.timeout, run.render);
    if (typeof timeoutSeconds === 'string') return refuse(timeoutSeconds);
    const message = outboundMessage(run);
    if ('refused' in message) return refuse(message.refused);
    return effect({ kind: 'sendMessage', message, awaitReply: { timeoutSeconds } });
  },
  resume({ widget }, result) {
    switch (result.kind) {
      case 'reply':
        return done('incomingMessage', widgetOutput(widget.name, { outbound: outboundOutput(result.sent), inbound: { ...result.reply } }));
      case 'replyTimeout':
        return done('timeout', widgetOutput(widget.name, { outbound: outboundOutput(result.sent) }));
      case 'messageFailed':
        return done('deliveryFailure', widgetOutput(widget.name, { outbound: failedOutbound(result.error) }));
      default:
        throw new UnexpectedEffectResultError(widget.type, result.kind);
    }
  },
};

/** Seconds to wait, or the reason the rendered value is not a usable timeout. */
function replyTimeout(value: number | string | undefined, render: (t: string) => string): number | string {
  if (value === undefined || value === '') return DEFAULT_REPLY_TIMEOUT_SECONDS;
  const text = typeof value === 'number' ? String(value) : render(value).trim();
  if (!/^\d+$/.test(text) || Number(text) <= 0) return `timeout must be a whole number of seconds; it rendered to ${JSON.stringify(text)}`;
  return Number(text);
}
