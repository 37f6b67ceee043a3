import type { FlowDefinition, WidgetState } from '../../src/flow/definition';

/** The benchmarks' contact side: the flow's number in every conversation it starts. */
export const FLOW_NUMBER = '+15559990000';

/** Trigger (REST) → start-conversation with the contact over SMS, then `next`: how every conversation benchmark begins. */
export function conversationStart(next: string): WidgetState[] {
  return [
    { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingRequest', next: 'start' }], properties: {} },
    {
      name: 'start',
      type: 'start-conversation',
      transitions: [{ event: 'created', next }, { event: 'failed' }],
      properties: { participants: [{ type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: FLOW_NUMBER }] },
    },
  ];
}

/** start-conversation, one question, a thank-you: every execution waits in send-and-wait-for-reply (bench:scale, bench:webhooks). */
export const ONE_QUESTION_FLOW: FlowDefinition = {
  initial_state: 'Trigger',
  states: [
    ...conversationStart('ask'),
    { name: 'ask', type: 'send-and-wait-for-reply', transitions: [{ event: 'incomingMessage', next: 'thanks' }, { event: 'timeout' }], properties: { body: 'How was it?', timeout: '3600' } },
    { name: 'thanks', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'Thanks!' } },
  ],
};

/** What ONE_QUESTION_FLOW sends, in order. */
export const ONE_QUESTION_MESSAGES = ['How was it?', 'Thanks!'];
