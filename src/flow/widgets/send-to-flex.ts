import { conversationIds, widgetOutput } from '../context';
import type { NumberLike, SendToFlexProperties } from '../definition';
import type { EffectFailure } from '../effects';
import { parseJsonObject } from '../parse-text';
import { done, effect, type WidgetHandler, type WidgetRun } from './widget-handler';
import { UnexpectedEffectResultError } from '../errors';

/**
 * send-to-flex for a conversation channel: hands the conversation to a Flex agent through a Flex Interaction (the
 * conversation is its media channel; routing takes the widget's workflow, task channel, rendered attributes,
 * priority and timeout). Studio's events, which are named for calls, map to: `callComplete` when the interaction is
 * created (the channel is then `handed_off`: its webhook is removed and messaging widgets send nothing more),
 * `failedToEnqueue` when Flex refuses it, `callFailure` for anything else.
 */
export const sendToFlexWidget: WidgetHandler<SendToFlexProperties> = {
  type: 'send-to-flex',
  events: ['callComplete', 'failedToEnqueue', 'callFailure'],
  runnable: true,
  failureEvent: 'callFailure',
  writes: ['*', 'error'],
  enter(run) {
    const channel = run.context.flow.channel;
    if (channel.type !== 'conversation' || !channel.sid || channel.status !== 'active') {
      return failed(run, 'callFailure', { message: 'send-to-flex needs the execution’s active conversation (run start-conversation first)' });
    }
    const props = run.widget.properties;
    const attributes = parseJsonObject(props.attributes ? run.render(props.attributes) : '{}');
    if (!attributes) return failed(run, 'callFailure', { message: 'attributes must render to a JSON object' });
    const priority = integer(props.priority, run.render);
    const timeout = integer(props.timeout, run.render);
    if (priority === null || timeout === null) return failed(run, 'callFailure', { message: 'priority and timeout must render to whole numbers' });
    return effect({
      kind: 'sendToFlex',
      conversationSid: channel.sid,
      ...conversationIds(channel),
      // The conversation started this execution through the user's own webhook (DESIGN.md §8): the hand-off removes it.
      ...(run.context.trigger.conversation ? { flowWebhooksOf: run.context.flow.flow_sid } : {}),
      channelType: channelTypeOf(channel.details?.participants),
      workflowSid: run.render(props.workflow),
      taskChannel: run.render(props.channel),
      attributes,
      priority,
      timeout,
    });
  },
  resume(run, result) {
    if (result.kind === 'flexFailed') return failed(run, result.rejected ? 'failedToEnqueue' : 'callFailure', result.error);
    if (result.kind !== 'flexEnqueued') throw new UnexpectedEffectResultError(run.widget.type, result.kind);
    return done('callComplete', widgetOutput(run.widget.name, result.interaction), { path: ['flow', 'channel', 'status'], value: 'handed_off' });
  },
};

function failed(run: WidgetRun, event: 'callFailure' | 'failedToEnqueue', error: EffectFailure) {
  return done(event, widgetOutput(run.widget.name, { error: { code: error.code ?? null, message: error.message } }));
}

/** The participant's channel: its messaging binding's type, or chat for an SDK identity. */
function channelTypeOf(participants: unknown): string {
  const [first] = Array.isArray(participants) ? participants : [];
  const type = (first as { messaging_binding?: { type?: unknown } } | undefined)?.messaging_binding?.type;
  return typeof type === 'string' ? type : 'chat';
}

/** undefined when not set, null when set but not a whole number. */
function integer(value: NumberLike | undefined, render: (t: string) => string): number | undefined | null {
  if (value === undefined || value === '') return undefined;
  const text = typeof value === 'number' ? String(value) : render(value).trim();
  return /^-?\d+$/.test(text) ? Number(text) : null;
}
