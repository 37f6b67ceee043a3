import RestException from 'twilio/lib/base/RestException';
import { createTwilioClient, type TwilioClient } from '../../src/activities/twilio/twilio-client';
import { startEmulator, startReceiver, type Receiver, type TestEmulator } from './helpers';

const WORKFLOW_SID = `WW${'4'.repeat(32)}`;

let twilio: TestEmulator;
let client: TwilioClient;
beforeAll(async () => {
  twilio = await startEmulator({ retryDelayMs: 10 });
  client = createTwilioClient({
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
    apiBaseUrl: twilio.running.url,
  });
});
afterEach(() => twilio.emulator.reset());
afterAll(() => twilio.running.close());

async function restError(promise: Promise<unknown>): Promise<RestException> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RestException)) throw new Error(`expected a RestException, got ${String(error)}`);
  return error;
}

describe('the official twilio client against the emulator', () => {
  test('when a conversation is created, fetched (by SID and unique name), updated, listed and removed, then each call round-trips', async () => {
    const conversations = client.conversations.v1.conversations;
    const created = await conversations.create({
      friendlyName: 'Round trip',
      uniqueName: 'round-trip',
      'timers.closed': 'PT10M',
    });
    expect(created.sid).toMatch(/^CH[0-9a-f]{32}$/);
    expect((await conversations(created.sid).fetch()).friendlyName).toBe('Round trip');
    expect((await conversations('round-trip').fetch()).sid).toBe(created.sid);
    expect((await conversations(created.sid).update({ state: 'closed' })).state).toBe('closed');
    expect((await conversations.list()).map((c) => c.sid)).toEqual([created.sid]);
    expect(await conversations(created.sid).remove()).toBe(true);
    expect((await restError(conversations(created.sid).fetch())).status).toBe(404);
  });

  test('when conversations are used through services(IS).conversations, then they live in that service only', async () => {
    const service = await client.conversations.v1.services.create({ friendlyName: 'Other' });
    const scoped = client.conversations.v1.services(service.sid).conversations;
    const created = await scoped.create({ uniqueName: 'in-other-service' });
    expect(created.chatServiceSid).toBe(service.sid);
    expect((await scoped('in-other-service').fetch()).sid).toBe(created.sid);
    expect((await scoped(created.sid).update({ friendlyName: 'Renamed' })).friendlyName).toBe('Renamed');
    expect((await scoped.list()).map((c) => c.sid)).toEqual([created.sid]);
    expect(await client.conversations.v1.conversations.list()).toEqual([]);
    expect(await scoped(created.sid).remove()).toBe(true);
  });

  test('when 5 conversations are listed with pageSize 2, then the client follows next_page_url through 3 pages', async () => {
    const sids: string[] = [];
    for (let i = 0; i < 5; i += 1)
      sids.push((await client.conversations.v1.conversations.create({ friendlyName: `c${i}` })).sid);
    const listed = await client.conversations.v1.conversations.list({ pageSize: 2 });
    expect(listed.map((c) => c.sid)).toEqual(sids);
    const firstPage = await client.conversations.v1.conversations.page({ pageSize: 2 });
    expect(firstPage.nextPageUrl).toMatch(
      /^https:\/\/conversations\.twilio\.com\/v1\/Conversations\?PageSize=2&Page=1&PageToken=/,
    );
  });

  test('when participants, webhooks and messages are created, listed, fetched and removed, then each call round-trips', async () => {
    const conversation = client.conversations.v1.conversations(
      (await client.conversations.v1.conversations.create()).sid,
    );
    const sms = await conversation.participants.create({
      'messagingBinding.address': '+15550001',
      'messagingBinding.proxyAddress': '+15550002',
    });
    expect(sms.messagingBinding).toEqual({ type: 'sms', address: '+15550001', proxy_address: '+15550002' });
    await conversation.participants.create({ identity: 'agent' });
    expect((await conversation.participants.list()).map((p) => p.identity)).toEqual([null, 'agent']);
    expect((await conversation.participants(sms.sid).fetch()).sid).toBe(sms.sid);
    expect(await conversation.participants(sms.sid).remove()).toBe(true);

    const webhook = await conversation.webhooks.create({
      target: 'webhook',
      'configuration.url': 'https://example.com/hook',
      'configuration.method': 'post',
      'configuration.filters': ['onMessageAdded'],
    });
    expect(webhook.configuration).toEqual({
      url: 'https://example.com/hook',
      method: 'post',
      filters: ['onMessageAdded'],
    });
    expect((await conversation.webhooks(webhook.sid).fetch()).target).toBe('webhook');
    expect((await conversation.webhooks.list()).length).toBe(1);
    expect(await conversation.webhooks(webhook.sid).remove()).toBe(true);

    const message = await conversation.messages.create({ author: 'agent', body: 'Hello' });
    expect(message).toMatchObject({
      index: 0,
      author: 'agent',
      body: 'Hello',
      participantSid: expect.stringMatching(/^MB/),
    });
    expect((await conversation.messages(message.sid).fetch()).body).toBe('Hello');
    expect((await conversation.messages.list({ order: 'desc' })).map((m) => m.index)).toEqual([0]);
  });

  test('when a message is created with xTwilioWebhookEnabled "true", then the webhook receives it', async () => {
    const receiver: Receiver = await startReceiver();
    try {
      const conversation = client.conversations.v1.conversations(
        (await client.conversations.v1.conversations.create()).sid,
      );
      await conversation.webhooks.create({
        target: 'webhook',
        'configuration.url': receiver.url,
        'configuration.filters': ['onMessageAdded'],
      });
      const message = await conversation.messages.create({
        author: '+15550003',
        body: 'Hi',
        xTwilioWebhookEnabled: 'true',
      });
      await twilio.emulator.waitForDeliveries((all) => all.length === 1);
      expect(receiver.requests[0]?.params).toMatchObject({ MessageSid: message.sid, Body: 'Hi' });
    } finally {
      await receiver.close();
    }
  });

  test('when an SMS is sent and fetched through the 2010 API, then the client reads the message back', async () => {
    const sent = await client.messages.create({ to: '+15550004', from: '+15550005', body: 'Your code is 1234' });
    expect(sent).toMatchObject({
      status: 'queued',
      direction: 'outbound-api',
      numSegments: '1',
      accountSid: twilio.accountSid,
    });
    expect(sent.dateCreated).toBeInstanceOf(Date);
    expect(Number.isNaN(sent.dateCreated.getTime())).toBe(false);
    expect((await client.messages(sent.sid).fetch()).body).toBe('Your code is 1234');
  });

  test('when SMS are listed by To, From and DateSent through the 2010 API, then only the matching ones come back, newest first, across pages', async () => {
    const since = new Date(Math.floor(Date.now() / 1000) * 1000);
    const first = await client.messages.create({ to: '+15550006', from: '+15550007', body: 'one' });
    await client.messages.create({ to: '+15550006', from: '+15550008', body: 'other sender' });
    await client.messages.create({ to: '+15550009', from: '+15550007', body: 'other recipient' });
    const second = await client.messages.create({ to: '+15550006', from: '+15550007', body: 'two' });
    const listed = await client.messages.list({ to: '+15550006', from: '+15550007', dateSentAfter: since, pageSize: 1 });
    expect(listed.map((m) => m.sid)).toEqual([second.sid, first.sid]);
    const tomorrow = new Date(since.getTime() + 86_400_000);
    expect(await client.messages.list({ to: '+15550006', dateSentAfter: tomorrow })).toEqual([]);
  });

  test('when a Flex interaction is created, then channel and routing come back with their new SIDs', async () => {
    const interaction = await client.flexApi.v1.interaction.create({
      channel: { type: 'sms', initiated_by: 'customer', properties: { media_channel_sid: 'CH123' } },
      routing: { properties: { workspace_sid: 'WS1', workflow_sid: WORKFLOW_SID, task_channel_unique_name: 'sms' } },
    });
    expect(interaction.sid).toMatch(/^KD[0-9a-f]{32}$/);
    expect(interaction.channel).toMatchObject({ type: 'sms', sid: expect.stringMatching(/^UO[0-9a-f]{32}$/) });
    expect(interaction.routing).toMatchObject({ sid: expect.stringMatching(/^WT[0-9a-f]{32}$/) });
    expect(twilio.emulator.store.interactions.get(interaction.sid)).toBeDefined();
  });

  test('when Twilio answers 404, 409 and 401, then the RestException carries status and code', async () => {
    await client.conversations.v1.conversations.create({ uniqueName: 'dup' });
    const notFound = await restError(client.conversations.v1.conversations(`CH${'0'.repeat(32)}`).fetch());
    const conflict = await restError(client.conversations.v1.conversations.create({ uniqueName: 'dup' }));
    const wrongToken = createTwilioClient({
      accountSid: twilio.accountSid,
      authToken: 'wrong',
      apiBaseUrl: twilio.running.url,
    });
    const unauthorized = await restError(wrongToken.conversations.v1.conversations.list());
    expect([notFound, conflict, unauthorized].map((e) => [e.status, e.code])).toEqual([
      [404, 20404],
      [409, 50353],
      [401, 20003],
    ]);
  });
});
