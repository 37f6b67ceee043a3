import twilio from 'twilio';
import { field, type FormParams, type Receiver, startEmulator, startReceiver, type TestEmulator } from './helpers';

const MESSAGING_SERVICE_SID = `MG${'5'.repeat(32)}`;

let emulator: TestEmulator;
let receiver: Receiver;
beforeAll(async () => {
  emulator = await startEmulator({ timeoutMs: 300, maxRetries: 2, retryDelayMs: 20 });
});
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  emulator.emulator.reset();
  await receiver.close();
});
afterAll(() => emulator.running.close());

const post = (path: string, params: FormParams, headers?: Record<string, string>) =>
  emulator.request('POST', path, params, headers);
const speakAsParticipant = { 'X-Twilio-Webhook-Enabled': 'true' };

/** A conversation with an SMS participant and a webhook on `receiver`; returns the conversation's path. */
async function conversationWithWebhook(webhook: FormParams = {}, base = '/v1/Conversations'): Promise<string> {
  const conversation = `${base}/${field((await post(base, { MessagingServiceSid: MESSAGING_SERVICE_SID })).body, 'sid')}`;
  await post(`${conversation}/Participants`, {
    'MessagingBinding.Address': '+15557770000',
    'MessagingBinding.ProxyAddress': '+15558880000',
  });
  const hook = {
    Target: 'webhook',
    'Configuration.Url': receiver.url,
    'Configuration.Filters': ['onMessageAdded'],
    ...webhook,
  };
  expect((await post(`${conversation}/Webhooks`, hook)).status).toBe(201);
  return conversation;
}

function signatureOf(index: number): string {
  const header = receiver.requests[index]?.headers['x-twilio-signature'];
  if (typeof header !== 'string') throw new Error(`request ${index} has no X-Twilio-Signature`);
  return header;
}

describe('onMessageAdded delivery', () => {
  test('when a participant speaks (X-Twilio-Webhook-Enabled: true), then the webhook gets a signed onMessageAdded POST', async () => {
    const conversation = await conversationWithWebhook();
    const created = await post(
      `${conversation}/Messages`,
      { Author: '+15557770000', Body: 'Hello', Attributes: '{"k":1}' },
      speakAsParticipant,
    );
    expect(created.status).toBe(201);
    await emulator.emulator.waitForDeliveries((all) => all.length === 1);
    const [request] = receiver.requests;
    expect(request?.method).toBe('POST');
    expect(request?.params).toEqual({
      EventType: 'onMessageAdded',
      AccountSid: emulator.accountSid,
      ChatServiceSid: emulator.emulator.defaultServiceSid,
      ConversationSid: field(created.body, 'conversation_sid'),
      MessageSid: field(created.body, 'sid'),
      Index: '0',
      Author: '+15557770000',
      Body: 'Hello',
      Attributes: '{"k":1}',
      DateCreated: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      ParticipantSid: field(created.body, 'participant_sid'),
      Source: 'API',
      RetryCount: '0',
      WebhookSid: expect.stringMatching(/^WH[0-9a-f]{32}$/),
      WebhookType: 'webhook',
      MessagingServiceSid: MESSAGING_SERVICE_SID,
    });
    expect(twilio.validateRequest(emulator.authToken, signatureOf(0), receiver.url, request?.params ?? {})).toBe(true);
    expect(twilio.validateRequest('another-token', signatureOf(0), receiver.url, request?.params ?? {})).toBe(false);
    expect(request?.headers['i-twilio-idempotency-token']).toEqual(expect.any(String));
  });

  test('when messages are created without the header, or the webhook does not filter onMessageAdded, then nothing is delivered for them', async () => {
    const conversation = await conversationWithWebhook();
    await post(`${conversation}/Webhooks`, {
      Target: 'webhook',
      'Configuration.Url': receiver.url,
      'Configuration.Filters': 'onMessageUpdated',
    });
    await post(`${conversation}/Webhooks`, { Target: 'studio', 'Configuration.FlowSid': `FW${'6'.repeat(32)}` });
    await post(`${conversation}/Messages`, { Body: 'from the API' });
    await post(`${conversation}/Messages`, { Body: 'from the customer' }, speakAsParticipant);
    // Deliveries start in creation order, so a delivery for the first message would show up before this one.
    await emulator.emulator.waitForDeliveries((all) => all.length >= 1);
    expect(receiver.requests.map((r) => r.params.Body)).toEqual(['from the customer']);
    expect(receiver.requests[0]?.params).toMatchObject({ Author: 'system', ParticipantSid: '' });
  });

  test('when the webhook method is GET, then the params travel in the query and the signature covers the full URL', async () => {
    const conversation = await conversationWithWebhook({ 'Configuration.Method': 'GET' });
    await post(`${conversation}/Messages`, { Body: 'via GET' }, speakAsParticipant);
    await emulator.emulator.waitForDeliveries((all) => all.length === 1);
    const request = receiver.requests[0];
    expect(request).toMatchObject({ method: 'GET', params: { Body: 'via GET', EventType: 'onMessageAdded' } });
    expect(twilio.validateRequest(emulator.authToken, signatureOf(0), request?.url ?? '', {})).toBe(true);
  });

  test('when the conversation is on a service path, then ChatServiceSid names that service', async () => {
    const service = field((await post('/v1/Services', { FriendlyName: 'Hooks' })).body, 'sid');
    const conversation = await conversationWithWebhook({}, `/v1/Services/${service}/Conversations`);
    await post(`${conversation}/Messages`, { Body: 'hi' }, speakAsParticipant);
    await emulator.emulator.waitForDeliveries((all) => all.length === 1);
    expect(receiver.requests[0]?.params.ChatServiceSid).toBe(service);
  });

  test('when a webhook is created with ReplayAfter, then the messages from that index on are delivered to it', async () => {
    const base = `/v1/Conversations/${field((await post('/v1/Conversations', {})).body, 'sid')}`;
    for (const body of ['zero', 'one', 'two']) await post(`${base}/Messages`, { Body: body });
    const hook = {
      Target: 'webhook',
      'Configuration.Url': receiver.url,
      'Configuration.Filters': 'onMessageAdded',
      'Configuration.ReplayAfter': '1',
    };
    await post(`${base}/Webhooks`, hook);
    await emulator.emulator.waitForDeliveries((all) => all.length === 2);
    expect(receiver.requests.map((r) => r.params.Body).sort()).toEqual(['one', 'two']);
  });
});

describe('retries', () => {
  test('when the webhook answers 500 twice, then it is retried with RetryCount 0, 1, 2, one idempotency token and fresh signatures', async () => {
    receiver.respond = (_request, count) => (count < 3 ? 500 : 204);
    const conversation = await conversationWithWebhook();
    await post(`${conversation}/Messages`, { Body: 'retry me' }, speakAsParticipant);
    const attempts = await emulator.emulator.waitForDeliveries((all) => all.length === 3);
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [0, 500],
      [1, 500],
      [2, 204],
    ]);
    expect(receiver.requests.map((r) => r.params.RetryCount)).toEqual(['0', '1', '2']);
    expect(new Set(receiver.requests.map((r) => r.headers['i-twilio-idempotency-token'])).size).toBe(1);
    receiver.requests.forEach((request, i) => {
      expect(twilio.validateRequest(emulator.authToken, signatureOf(i), receiver.url, request.params)).toBe(true);
    });
  });

  test('when the webhook does not answer within timeoutMs, then the attempt is recorded as timed out and retried', async () => {
    receiver.respond = (_request, count) => (count === 1 ? 'hang' : 200);
    const conversation = await conversationWithWebhook();
    await post(`${conversation}/Messages`, { Body: 'slow' }, speakAsParticipant);
    const attempts = await emulator.emulator.waitForDeliveries((all) => all.length === 2);
    expect(attempts.map((a) => [a.attempt, a.status, a.error])).toEqual([
      [0, null, 'timed out'],
      [1, 200, null],
    ]);
    expect(attempts[0]?.durationMs).toBeGreaterThanOrEqual(250);
  });

  test('when the webhook host refuses connections, then maxRetries + 1 attempts are recorded with the error', async () => {
    const conversation = await conversationWithWebhook();
    await receiver.close();
    await post(`${conversation}/Messages`, { Body: 'nobody home' }, speakAsParticipant);
    const attempts = await emulator.emulator.waitForDeliveries((all) => all.length === 3);
    expect(attempts.map((a) => a.status)).toEqual([null, null, null]);
    expect(attempts[0]).toMatchObject({
      url: receiver.url,
      method: 'POST',
      error: expect.stringContaining('fetch failed'),
    });
    expect(attempts[0]?.params).toMatchObject({ EventType: 'onMessageAdded', Body: 'nobody home' });
  });

  test('when deliveries are recorded, then the admin state lists them with the message and webhook', async () => {
    const conversation = await conversationWithWebhook();
    const created = await post(`${conversation}/Messages`, { Body: 'logged' }, speakAsParticipant);
    await emulator.emulator.waitForDeliveries((all) => all.length === 1);
    const state = await fetch(`${emulator.running.url}/_emulator/state`).then((r) => r.json());
    expect(state).toMatchObject({
      webhook_deliveries: [
        {
          messageSid: field(created.body, 'sid'),
          conversationSid: field(created.body, 'conversation_sid'),
          status: 200,
        },
      ],
    });
  });
});
