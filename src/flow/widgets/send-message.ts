import { widgetOutput } from '../context';
import type { SendMessageProperties } from '../definition';
import { failedOutbound, outboundMessage, outboundOutput } from './messaging';
import { done, effect, type WidgetHandler } from './widget-handler';
import { UnexpectedEffectResultError } from '../errors';

/** send-message: `sent` once Twilio accepted the message (`outbound.*` is the message resource), else `failed`. */
export const sendMessageWidget: WidgetHandler<SendMessageProperties> = {
  type: 'send-message',
  events: ['sent', 'failed'],
  runnable: true,
  failureEvent: 'failed',
  writes: ['outbound', 'error'],
  enter(run) {
    const message = outboundMessage(run);
    if ('refused' in message) return done('failed', widgetOutput(run.widget.name, { outbound: failedOutbound({ message: message.refused }) }));
    return effect({ kind: 'sendMessage', message });
  },
  resume({ widget }, result) {
    if (result.kind === 'messageSent') return done('sent', widgetOutput(widget.name, { outbound: outboundOutput(result.message) }));
    if (result.kind === 'messageFailed') return done('failed', widgetOutput(widget.name, { outbound: failedOutbound(result.error) }));
    throw new UnexpectedEffectResultError(widget.type, result.kind);
  },
};
