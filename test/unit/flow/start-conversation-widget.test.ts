import type { FlowContext } from '../../../src/flow/context';
import type { StartConversationProperties, WidgetState } from '../../../src/flow/definition';
import { renderTemplate } from '../../../src/flow/liquid';
import { startConversationWidget } from '../../../src/flow/widgets/start-conversation';
import type { WidgetRun } from '../../../src/flow/widgets/widget-handler';

const restContext: FlowContext = {
  flow: { sid: 'FN1', flow_sid: 'FW1', channel: { address: '+15559990000' }, data: { name: 'Ada' }, variables: {} },
  trigger: { request: { to: '+15550001111', from: '+15559990000', parameters: {} } },
  widgets: {},
  contact: { channel: { address: '+15550001111' } },
};

function run(properties: Partial<StartConversationProperties>, context: FlowContext = restContext): WidgetRun<StartConversationProperties> {
  const widget: WidgetState<StartConversationProperties> = {
    name: 'start',
    type: 'start-conversation',
    transitions: [],
    properties: {
      participants: [{ type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: '{{flow.channel.address}}' }],
      ...properties,
    },
  };
  return { widget, context, runId: 'FT1', render: (t) => renderTemplate(t, context) };
}

const errorOf = (step: ReturnType<typeof startConversationWidget.enter>) =>
  step.kind === 'done' ? (step.outcome.changes[0]?.value as { error: unknown }).error : undefined;

describe('start-conversation (pure)', () => {
  test('when the root execution was not triggered through the REST API, then failed at the trigger stage', () => {
    const parentOfCall: FlowContext = {
      ...restContext,
      trigger: { parent: { parameters: {}, execution_sid: 'FN0', flow_sid: 'FW0', step_sid: 'FT0', trigger_type: 'incomingCall' } },
    };
    const step = startConversationWidget.enter(run({}, parentOfCall));
    expect(step).toMatchObject({ kind: 'done', outcome: { event: 'failed' } });
    expect(errorOf(step)).toEqual({ code: 20001, stage: 'trigger', message: 'start-conversation runs only in executions started through the REST API' });
  });

  test('when a subflow runs under a REST-triggered parent, then it may start the conversation', () => {
    const subflow: FlowContext = {
      ...restContext,
      trigger: { parent: { parameters: {}, execution_sid: 'FN0', flow_sid: 'FW0', step_sid: 'FT0', trigger_type: 'incomingRequest' } },
    };
    expect(startConversationWidget.enter(run({}, subflow)).kind).toBe('effect');
  });

  test('when an SMS started the execution, then failed at the trigger stage', () => {
    const smsContext: FlowContext = { ...restContext, trigger: { message: { From: '+15550001111', To: '+15559990000', Body: 'hi' } } };
    expect(errorOf(startConversationWidget.enter(run({}, smsContext)))).toMatchObject({ stage: 'trigger' });
  });

  test('when a conversation started the execution, or the parent of a subflow, then failed at the channel stage (its inbound channel)', () => {
    const channel = { address: 'CH1', sid: 'CH1', type: 'conversation' as const, status: 'active' as const };
    const inbound: FlowContext = { ...restContext, flow: { ...restContext.flow, channel }, trigger: { conversation: { ConversationSid: 'CH1', Body: 'hi' } } };
    const subflow: FlowContext = {
      ...inbound,
      trigger: { parent: { parameters: {}, execution_sid: 'FN0', flow_sid: 'FW0', step_sid: 'FT0', trigger_type: 'incomingConversationMessage' } },
    };
    for (const context of [inbound, subflow]) {
      expect(errorOf(startConversationWidget.enter(run({}, context)))).toEqual({ code: 20001, stage: 'channel', message: expect.stringContaining('inbound Conversation channel (conversation CH1') });
    }
  });

  test('when the execution already has a channel, then failed at the channel stage before anything else', () => {
    const withChannel = { ...restContext, flow: { ...restContext.flow, channel: { address: '+1', sid: 'CH1', type: 'conversation' as const, status: 'active' as const } } };
    expect(errorOf(startConversationWidget.enter(run({ friendly_name: 'a/b' }, withChannel)))).toMatchObject({ stage: 'channel' });
  });

  test('when everything renders within the rules, then one effect carries every property, rendered', () => {
    const step = startConversationWidget.enter(
      run({ friendly_name: 'Visit of {{flow.data.name}}', unique_name: 'v-{{flow.data.name}}', timers: { inactive: 'PT5M' }, attributes: '{"a": "{{flow.data.name}}"}' }),
    );
    expect(step).toEqual({
      kind: 'effect',
      effect: {
        kind: 'startConversation',
        executionSid: 'FN1',
        runId: 'FT1',
        serviceSid: undefined,
        conversation: {
          uniqueName: 'v-Ada',
          friendlyName: 'Visit of Ada',
          attributes: '{"a": "Ada"}',
          messagingServiceSid: undefined,
          timers: { inactive: 'PT5M', closed: undefined },
          emailBinding: undefined,
        },
        participant: { address: '+15550001111', proxyAddress: '+15559990000', attributes: undefined, roleSid: undefined },
      },
    });
  });

  test('when a participant address renders empty, then failed at the validation stage', () => {
    const step = startConversationWidget.enter(run({ participants: [{ type: 'sms', messaging_binding_address: '{{flow.data.missing}}', messaging_binding_proxy_address: '+1' }] }));
    expect(errorOf(step)).toEqual({ code: 20001, stage: 'validation', message: 'participants.0.messaging_binding_address must not be empty' });
  });

  test('when Twilio created everything, then created, with the widget’s outputs and flow.channel', () => {
    const conversation = { sid: 'CH9', chat_service_sid: 'IS9', messaging_service_sid: null, unique_name: 'u', friendly_name: 'f' };
    const participant = { sid: 'MB9' };
    const step = startConversationWidget.resume!(run({}), { kind: 'conversationStarted', conversation, participant, webhook: { sid: 'WH9' } });
    expect(step).toEqual({
      kind: 'done',
      outcome: {
        event: 'created',
        changes: [
          { path: ['widgets', 'start'], value: { conversation, participant, webhook_sid: 'WH9' } },
          {
            path: ['flow', 'channel'],
            value: {
              address: '+15559990000',
              sid: 'CH9',
              type: 'conversation',
              status: 'active',
              details: { chat_service_sid: 'IS9', messaging_service_sid: null, unique_name: 'u', friendly_name: 'f', participants: [participant], webhook_sid: 'WH9' },
            },
          },
        ],
      },
    });
  });
});
