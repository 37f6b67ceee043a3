import { inboundConversationChannel, readFlowWebhook } from '../../../src/api/inbound-params';
import { inboundExecutionSid } from '../../../src/services/inbound-router';

const ACCOUNT = `AC${'a'.repeat(32)}`;
const CONVERSATION = `CH${'b'.repeat(32)}`;

describe('reading what Twilio posts to a flow webhook URL', () => {
  test('when it is an SMS, then a Messaging message keeping every field', () => {
    const form = { MessageSid: 'SM1', From: '+15550001111', To: '+15559990000', Body: 'hi', NumMedia: '1', MediaUrl0: 'https://m/1', ToCountry: 'US', AccountSid: ACCOUNT };
    expect(readFlowWebhook(form, ACCOUNT)).toEqual({ kind: 'messaging', message: form });
  });

  test('when an SMS has no Body, then Body is empty (an MMS with media only)', () => {
    expect(readFlowWebhook({ MessageSid: 'MM1', From: '+1', To: '+2', NumMedia: '1' }, ACCOUNT)).toMatchObject({ message: { Body: '' } });
  });

  test('when it has a CallSid, then it is a call, whatever else it has', () => {
    expect(readFlowWebhook({ CallSid: 'CA1', From: '+1', To: '+2', MessageSid: 'SM1' }, ACCOUNT)).toEqual({ kind: 'voice', callSid: 'CA1' });
  });

  test('when it is onMessageAdded, then a conversation event; other events are read too, to be ignored', () => {
    const fields = { EventType: 'onMessageAdded', ConversationSid: CONVERSATION, MessageSid: 'IM1', Author: '+1', Body: 'hi' };
    expect(readFlowWebhook(fields, ACCOUNT)).toEqual({ kind: 'conversation', fields, eventType: 'onMessageAdded' });
    expect(readFlowWebhook({ EventType: 'onConversationAdded', ConversationSid: CONVERSATION }, ACCOUNT)).toMatchObject({ kind: 'conversation', eventType: 'onConversationAdded' });
  });

  test.each([
    ['another account', { MessageSid: 'SM1', From: '+1', To: '+2', AccountSid: `AC${'0'.repeat(32)}` }, /account AC0+, not this one/],
    ['no From', { MessageSid: 'SM1', To: '+2' }, /missing From/],
    ['nothing a webhook has', { Hello: 'world' }, /missing MessageSid, From, To/],
    ['a field twice', { MessageSid: 'SM1', From: ['+1', '+3'], To: '+2' }, /From is given more than once/],
    ['onMessageAdded without its author', { EventType: 'onMessageAdded', ConversationSid: CONVERSATION, MessageSid: 'IM1' }, /missing Author/],
    ['a conversation that is not a SID', { EventType: 'onMessageAdded', ConversationSid: 'CH1', MessageSid: 'IM1', Author: '+1' }, /not a conversation SID/],
  ])('when it has %s, then 400 saying so', (_what, form, message) => {
    expect(() => readFlowWebhook(form, ACCOUNT)).toThrow(expect.objectContaining({ status: 400, code: 20001, message: expect.stringMatching(message) }));
  });
});

describe('the channel of an execution a conversation starts', () => {
  test.each([
    ['+15550001111', { type: 'sms', address: '+15550001111' }, null],
    ['whatsapp:+15550001111', { type: 'whatsapp', address: 'whatsapp:+15550001111' }, null],
    ['ada', null, 'ada'],
  ])('when the author is %s, then the participant is named by its binding or identity', (author, binding, identity) => {
    const channel = inboundConversationChannel({ ConversationSid: CONVERSATION, Author: author, ParticipantSid: 'MB1', ChatServiceSid: 'IS1' });
    expect(channel).toEqual({
      address: CONVERSATION,
      sid: CONVERSATION,
      type: 'conversation',
      status: 'active',
      details: { chat_service_sid: 'IS1', messaging_service_sid: null, participants: [{ sid: 'MB1', identity, messaging_binding: binding }] },
    });
  });
});

describe('the SID of the execution a message starts', () => {
  test('when the same message arrives again, then it names the same execution; another message or flow, another', () => {
    const flow = `FW${'1'.repeat(32)}`;
    const sid = inboundExecutionSid(flow, 'SM1');
    expect(sid).toMatch(/^FN[0-9a-f]{32}$/);
    expect(inboundExecutionSid(flow, 'SM1')).toBe(sid);
    expect(new Set([sid, inboundExecutionSid(flow, 'SM2'), inboundExecutionSid(`FW${'2'.repeat(32)}`, 'SM1')]).size).toBe(3);
  });
});
