import type twilio from 'twilio';
import type { WidgetState } from '../../src/flow/definition';
import { publish, restFlow, runToEnd } from '../helpers/flows';
import { contactNumbers } from '../helpers/contacts';
import { checkResponsesAndStop, startStack, type TestStack } from '../helpers/stack';

type Props = Record<string, unknown>;

/** Trigger → start (start-conversation) → on created, `after` if given. */
function conversationFlow(properties: Props, ...after: Array<Partial<WidgetState> & Pick<WidgetState, 'name' | 'type'>>) {
  return restFlow(
    { name: 'start', type: 'start-conversation', transitions: [{ event: 'created', next: after[0]?.name }, { event: 'failed' }], properties },
    ...after,
  );
}

const sms = (to = '{{contact.channel.address}}') => ({ type: 'sms', messaging_binding_address: to, messaging_binding_proxy_address: '{{flow.channel.address}}' });
const hex = (c: string) => c.repeat(32);

describe('the start-conversation widget', () => {
  let stack: TestStack;
  let studio: twilio.Twilio['studio']['v2'];
  let emulatorClient: twilio.Twilio;
  const nextContact = contactNumbers('+1555200');
  const conversations = () => [...stack.twilio.store.conversations.values()];

  beforeAll(async () => {
    stack = await startStack('start-conversation');
    studio = stack.client.studio.v2;
    emulatorClient = stack.emulatorClient;
  });

  afterAll(() => checkResponsesAndStop(stack));

  test('when every property of the seed’s tables is set, then each reaches Twilio rendered, and flow.channel is as DESIGN.md §6 lays out', async () => {
    const service = await emulatorClient.conversations.v1.services.create({ friendlyName: 'Support' });
    const props = {
      conversation_service_sid: '{{flow.data.service}}',
      messaging_service_sid: `MG${hex('a')}`,
      unique_name: 'order-{{flow.data.order}}',
      friendly_name: 'Order {{flow.data.order}} for {{flow.data.user}}',
      attributes: '{"order": "{{flow.data.order}}"}',
      timers: { inactive: 'PT5M', closed: 'PT1H' },
      email_binding: { address: 'help@example.com', name: 'Help Desk' },
      participants: [{ type: 'chat', identity: '{{flow.data.user}}', attributes: '{"vip": true}', role_sid: `RL${hex('b')}` }],
    };

    const run = await runToEnd(studio, await publish(studio, conversationFlow(props)), nextContact(), { service: service.sid, order: '1001', user: 'ada' });

    expect(run.events).toEqual(['incomingRequest', 'created']);
    const created = conversations().find((c) => c.uniqueName === 'order-1001')!;
    expect(created).toMatchObject({ serviceSid: service.sid, friendlyName: 'Order 1001 for ada', messagingServiceSid: `MG${hex('a')}` });
    expect(JSON.parse(created.attributes)).toMatchObject({ order: '1001' });
    const [participant] = [...created.participants.values()];
    expect(participant).toMatchObject({ identity: 'ada', roleSid: `RL${hex('b')}`, attributes: '{"vip": true}', address: null });
    // The flow ended right after the widget, so its webhook is already removed again (the survey test sees it live).
    expect(created.webhooks.size).toBe(0);
    const widget = run.context.widgets.start!;
    const webhookSid = widget.webhook_sid as string;
    expect(webhookSid).toMatch(/^WH[0-9a-f]{32}$/);
    expect(widget).toEqual({ conversation: expect.objectContaining({ sid: created.sid, unique_name: 'order-1001' }), participant: expect.objectContaining({ sid: participant!.sid, identity: 'ada' }), webhook_sid: webhookSid });
    expect((widget.conversation as { timers: object }).timers).toEqual({ date_inactive: expect.any(String), date_closed: expect.any(String) });
    expect((widget.conversation as { bindings: object }).bindings).toEqual({ email: { projected_address: 'help@example.com', name: 'Help Desk' } });
    expect(run.context.flow.channel).toEqual({
      address: '+15559990000',
      sid: created.sid,
      type: 'conversation',
      status: 'ended',
      details: {
        chat_service_sid: service.sid,
        messaging_service_sid: `MG${hex('a')}`,
        unique_name: 'order-1001',
        friendly_name: 'Order 1001 for ada',
        participants: [widget.participant],
        webhook_sid: webhookSid,
      },
    });
  });

  test('when the participant is on WhatsApp, then its binding is created with both addresses', async () => {
    const to = `whatsapp:${nextContact()}`;
    const flow = conversationFlow({ participants: [{ type: 'whatsapp', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: 'whatsapp:+15559990000' }] });
    const run = await runToEnd(studio, await publish(studio, flow), to);
    expect(run.events.at(-1)).toBe('created');
    expect(run.context.widgets.start?.participant).toMatchObject({ messaging_binding: { type: 'whatsapp', address: to, proxy_address: 'whatsapp:+15559990000' } });
  });

  test('when the execution already has a channel (a second start-conversation), then Failed, and no second conversation', async () => {
    const second = { name: 'again', type: 'start-conversation', transitions: [{ event: 'created' }, { event: 'failed' }], properties: { participants: [sms()] } };
    const to = nextContact();
    const before = conversations().length;
    const run = await runToEnd(studio, await publish(studio, conversationFlow({ participants: [sms()] }, second)), to);
    expect(run.events).toEqual(['incomingRequest', 'created', 'failed']);
    expect(run.context.widgets.again?.error).toEqual({ code: 20001, message: expect.stringContaining('already has a channel'), stage: 'channel' });
    expect(conversations().length).toBe(before + 1);
  });

  test('when Studio cannot create the conversation, then Failed at the conversation stage with Twilio’s code', async () => {
    await emulatorClient.conversations.v1.conversations.create({ uniqueName: 'taken-name' });
    const run = await runToEnd(studio, await publish(studio, conversationFlow({ unique_name: 'taken-name', participants: [sms()] })), nextContact());
    expect(run.events.at(-1)).toBe('failed');
    expect(run.context.widgets.start?.error).toMatchObject({ code: 50353, stage: 'conversation' });
  });

  test('when Studio cannot create the participant, then Failed at the participant stage and the conversation is deleted', async () => {
    const to = nextContact();
    const other = await emulatorClient.conversations.v1.conversations.create({});
    await emulatorClient.conversations.v1.conversations(other.sid).participants.create({ 'messagingBinding.address': to, 'messagingBinding.proxyAddress': '+15559990000' });
    const before = conversations().map((c) => c.sid);

    const run = await runToEnd(studio, await publish(studio, conversationFlow({ participants: [sms()] })), to);

    expect(run.context.widgets.start?.error).toMatchObject({ code: 50416, stage: 'participant' });
    expect(conversations().map((c) => c.sid)).toEqual(before);
  });

  test('when Studio cannot register the onMessageAdded webhook, then Failed at the webhook stage and the conversation is deleted', async () => {
    stack.twilio.faults.add({ route: 'webhooks.create', kind: 'status', status: 400 });
    const before = conversations().map((c) => c.sid);

    const run = await runToEnd(studio, await publish(studio, conversationFlow({ participants: [sms()] })), nextContact());

    expect(run.context.widgets.start?.error).toMatchObject({ code: 20001, stage: 'webhook' });
    expect(conversations().map((c) => c.sid)).toEqual(before);
  });

  test('when a rendered property breaks a rule, then Failed before any Twilio call', async () => {
    const before = conversations().length;
    const flow = conversationFlow({ friendly_name: 'Ticket {{flow.data.ticket}}', timers: { closed: '{{flow.data.closed}}' }, participants: [sms()] });
    const run = await runToEnd(studio, await publish(studio, flow), nextContact(), { ticket: '12/34', closed: 'PT5M' });
    expect(run.context.widgets.start?.error).toEqual({
      code: 20001,
      stage: 'validation',
      message: 'friendly_name must not contain reserved characters (/ \\ ? # % or control characters); timers.closed must be an ISO-8601 duration of at least PT10M (10 minutes)',
    });
    expect(conversations().length).toBe(before);
  });

  test('when a downstream widget sends a message, then it goes into flow.channel.sid as the configured author', async () => {
    const say = { name: 'say', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'Hello {{flow.data.name}}', to: '+19999999999' } };
    const run = await runToEnd(studio, await publish(studio, conversationFlow({ participants: [sms()] }, say)), nextContact(), { name: 'Ada' });
    const conversation = stack.twilio.store.conversations.get(String(run.context.flow.channel.sid))!;
    expect(conversation.messages.map((m) => [m.author, m.body])).toEqual([['studio', 'Hello Ada']]);
    expect(run.context.widgets.say?.outbound).toMatchObject({ ConversationSid: conversation.sid, Body: 'Hello Ada', Author: 'studio', Index: 0 });
    expect([...stack.twilio.store.messagingMessages.values()].some((m) => m.to === '+19999999999')).toBe(false);
  });

  describe('when no Conversation Service SID is given', () => {
    test('when none is configured either, then the account’s default service is used', async () => {
      const run = await runToEnd(studio, await publish(studio, conversationFlow({ participants: [sms()] })), nextContact());
      expect(stack.twilio.store.conversations.get(String(run.context.flow.channel.sid))?.serviceSid).toBe(stack.twilio.defaultServiceSid);
    });

    test('when TWILIO_CONVERSATIONS_SERVICE_SID is configured, then that service is used', async () => {
      const configured = await startStack('configured-service', { configuredService: true });
      try {
            const api = configured.client.studio.v2;
        const run = await runToEnd(api, await publish(api, conversationFlow({ participants: [sms()] })), nextContact());
        const serviceSid = configured.config.twilio.conversationsServiceSid;
        expect(serviceSid).not.toBe(configured.twilio.defaultServiceSid);
        expect(configured.twilio.store.conversations.get(String(run.context.flow.channel.sid))?.serviceSid).toBe(serviceSid);
      } finally {
        await configured.stop();
      }
    });
  });
});
