import { conversationIds, type JsonObject } from '../context';
import type { SendMessageProperties } from '../definition';
import type { EffectFailure, OutboundMessage } from '../effects';
import { commaList } from '../parse-text';
import { renderContent } from './message-content';
import type { WidgetRun } from './widget-handler';

/**
 * Where send-message and send-and-wait-for-reply send: into the execution's conversation when it has one (whatever
 * `to`/`from` say), else over Programmable Messaging from `from` to `to`. A conversation that was handed off or
 * ended takes no more messages from the flow: the answer is the reason, and nothing is sent. A Content template
 * (`content_sid`, `content_variables`) goes with the message on either channel.
 */
export function outboundMessage(run: WidgetRun<SendMessageProperties>): OutboundMessage | { refused: string } {
  const { properties } = run.widget;
  const channel = run.context.flow.channel;
  const body = run.render(properties.body ?? '');
  const mediaUrl = commaList(properties.media_url ? run.render(properties.media_url) : '');
  const content = renderContent(properties, run.render);
  if (channel.type === 'conversation' && channel.sid) {
    if (channel.status !== 'active') return { refused: `the conversation ${channel.sid} is ${channel.status?.replace('_', ' ')}; the flow no longer sends to it` };
    return {
      channel: 'conversation',
      conversationSid: channel.sid,
      serviceSid: conversationIds(channel).serviceSid,
      body,
      attributes: properties.attributes ? run.render(properties.attributes) : undefined,
      mediaUrl,
      ...(content ? { content } : {}),
      idempotencyKey: run.runId,
    };
  }
  return {
    channel: 'sms',
    to: run.render(properties.to ?? '{{contact.channel.address}}'),
    from: run.render(properties.from ?? '{{flow.channel.address}}'),
    body,
    mediaUrl,
    ...(content ? { content } : {}),
  };
}

/** Studio's `outbound.*`: the message resource with Twilio's snake_case keys in PascalCase (`sid` → `Sid`). */
export function outboundOutput(message: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(message).map(([key, value]) => [pascalCase(key), value]));
}

/** On a failed send `outbound` carries Twilio's error, as Studio's does. */
export function failedOutbound(error: EffectFailure): JsonObject {
  return { ErrorCode: error.code ?? null, ErrorMessage: error.message };
}

function pascalCase(key: string): string {
  return key.replace(/(^|_)([a-z0-9])/g, (_match, _sep: string, letter: string) => letter.toUpperCase());
}
