import { type ChannelContext, type ContextChange, type FlowContext, type JsonObject, widgetOutput } from '../context';
import type { StartConversationProperties } from '../definition';
import type { EffectFailure } from '../effects';
import { checkStartConversation } from '../start-conversation-rules';
import { done, effect, type WidgetHandler, type WidgetRun } from './widget-handler';
import { UnexpectedEffectResultError } from '../errors';

/** Where start-conversation failed: before any Twilio call (`trigger`, `channel`, `validation`), or at one of them. */
export type StartConversationStage = 'trigger' | 'channel' | 'validation' | 'conversation' | 'participant' | 'webhook';

/** Studio's generic code for a parameter Twilio would refuse, used for the checks made before calling Twilio. */
const INVALID_PARAMETER = 20001;

/**
 * start-conversation (the seed document, DESIGN.md §6): for an execution rooted in the REST API that has no channel
 * yet, creates a conversation with one participant and an onMessageAdded webhook, and makes it `flow.channel`.
 * Every property is rendered, then checked, before anything reaches Twilio. `created` or `failed`; on failure
 * `widgets.<name>.error` is `{code, message, stage}`.
 */
export const startConversationWidget: WidgetHandler<StartConversationProperties> = {
  type: 'start-conversation',
  events: ['created', 'failed'],
  runnable: true,
  failureEvent: 'failed',
  writes: ['conversation', 'participant', 'webhook_sid', 'error'],
  enter(run) {
    const { context } = run;
    const refuse = (stage: StartConversationStage, message: string) => failed(run, stage, { code: INVALID_PARAMETER, message });
    const channelSid = context.flow.channel.sid;
    // An inbound Conversation channel is the seed's own example of a channel the execution already has: that reason
    // wins over the trigger's (DESIGN.md §8); an incomingMessage execution has no channel and fails at the trigger.
    if (channelSid && conversationRooted(context)) return refuse('channel', inboundChannelMessage(channelSid));
    if (!restRooted(context)) return refuse('trigger', 'start-conversation runs only in executions started through the REST API');
    if (channelSid) return refuse('channel', `the execution already has a channel (conversation ${channelSid}); one conversation per execution`);
    const props = rendered(run);
    const problems = checkStartConversation(props, false);
    if (problems.length > 0) return refuse('validation', problems.map((p) => `${p.path.join('.')} ${p.message}`).join('; '));
    const participant = props.participants[0]!;
    return effect({
      kind: 'startConversation',
      // The webhook and the conversation belong to the root execution, also when a subflow starts them.
      executionSid: context.trigger.parent?.execution_sid ?? context.flow.sid,
      runId: run.runId,
      serviceSid: props.conversation_service_sid || undefined,
      conversation: {
        uniqueName: props.unique_name || undefined,
        friendlyName: props.friendly_name || undefined,
        attributes: props.attributes || undefined,
        messagingServiceSid: props.messaging_service_sid || undefined,
        timers: props.timers,
        emailBinding: props.email_binding,
      },
      participant: participant.type === 'chat'
        ? { identity: participant.identity, attributes: participant.attributes || undefined, roleSid: participant.role_sid || undefined }
        : {
            address: participant.messaging_binding_address,
            proxyAddress: participant.messaging_binding_proxy_address,
            attributes: participant.attributes || undefined,
            roleSid: participant.role_sid || undefined,
          },
    });
  },
  resume(run, result) {
    if (result.kind === 'conversationFailed') return failed(run, result.stage, result.error);
    if (result.kind !== 'conversationStarted') throw new UnexpectedEffectResultError(run.widget.type, result.kind);
    const { conversation, participant, webhook } = result;
    const webhookSid = String(webhook.sid);
    const channel: ChannelContext = {
      address: run.context.flow.channel.address,
      sid: String(conversation.sid),
      type: 'conversation',
      status: 'active',
      details: {
        chat_service_sid: conversation.chat_service_sid ?? null,
        messaging_service_sid: conversation.messaging_service_sid ?? null,
        unique_name: conversation.unique_name ?? null,
        friendly_name: conversation.friendly_name ?? null,
        participants: [participant],
        webhook_sid: webhookSid,
      },
    };
    const changes: ContextChange[] = [
      widgetOutput(run.widget.name, { conversation, participant, webhook_sid: webhookSid }),
      { path: ['flow', 'channel'], value: channel as unknown as JsonObject },
    ];
    return done('created', ...changes);
  },
};

function inboundChannelMessage(conversationSid: string): string {
  return `the execution already has an inbound Conversation channel (conversation ${conversationSid}, which started it); one conversation per execution`;
}

/** Started by a message added to a Conversation, or a subflow whose parent was. */
function conversationRooted(context: FlowContext): boolean {
  return context.trigger.conversation !== undefined || context.trigger.parent?.trigger_type === 'incomingConversationMessage';
}

/** REST-triggered, or a subflow whose parent was. */
function restRooted(context: FlowContext): boolean {
  return context.trigger.request !== undefined || context.trigger.parent?.trigger_type === 'incomingRequest';
}

function failed(run: WidgetRun, stage: StartConversationStage, error: EffectFailure) {
  return done('failed', widgetOutput(run.widget.name, { error: { code: error.code ?? null, message: error.message, stage } }));
}

/** Every string property rendered with Liquid, nested ones included. */
function rendered(run: WidgetRun<StartConversationProperties>): StartConversationProperties {
  const render = (value: string | undefined) => (value === undefined ? undefined : run.render(value));
  const p = run.widget.properties;
  return {
    ...p,
    conversation_service_sid: render(p.conversation_service_sid),
    messaging_service_sid: render(p.messaging_service_sid),
    unique_name: render(p.unique_name),
    friendly_name: render(p.friendly_name),
    attributes: render(p.attributes),
    timers: p.timers && { inactive: render(p.timers.inactive), closed: render(p.timers.closed) },
    email_binding: p.email_binding && { address: render(p.email_binding.address), name: render(p.email_binding.name) },
    participants: p.participants.map((participant) => ({
      type: participant.type,
      identity: render(participant.identity),
      messaging_binding_address: render(participant.messaging_binding_address),
      messaging_binding_proxy_address: render(participant.messaging_binding_proxy_address),
      attributes: render(participant.attributes),
      role_sid: render(participant.role_sid),
    })),
  };
}
