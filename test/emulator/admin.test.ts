import { field, startEmulator, type TestEmulator } from './helpers';

let twilio: TestEmulator;
beforeAll(async () => {
  twilio = await startEmulator();
});
afterEach(() => twilio.emulator.reset());
afterAll(() => twilio.running.close());

const admin = (path: string, init?: RequestInit) => fetch(`${twilio.running.url}/_emulator${path}`, init);

async function populate(friendlyName = 'Support chat'): Promise<string> {
  const conversation = field(
    (await twilio.request('POST', '/v1/Conversations', { FriendlyName: friendlyName })).body,
    'sid',
  );
  await twilio.request('POST', `/v1/Conversations/${conversation}/Participants`, { Identity: 'agent' });
  await twilio.request('POST', `/v1/Conversations/${conversation}/Webhooks`, {
    Target: 'webhook',
    'Configuration.Url': 'https://example.com/hook',
    'Configuration.Filters': 'onMessageAdded',
  });
  await twilio.request('POST', `/v1/Conversations/${conversation}/Messages`, { Author: 'agent', Body: 'Hi' });
  await twilio.request('POST', `/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`, {
    To: '+1',
    From: '+2',
    Body: 'sms',
  });
  await twilio.request('POST', `/2010-04-01/Accounts/${twilio.accountSid}/IncomingPhoneNumbers.json`, { PhoneNumber: '+15551230001' });
  await twilio.request('POST', '/v1/Configuration/Addresses', { Type: 'sms', Address: '+15551230002' });
  return conversation;
}

describe('the admin view', () => {
  test('when state exists, then /_emulator/state nests participants, webhooks and messages under each conversation', async () => {
    const conversation = await populate();
    const state: unknown = await (await admin('/state')).json();
    expect(state).toMatchObject({
      default_service_sid: twilio.emulator.defaultServiceSid,
      services: [{ sid: twilio.emulator.defaultServiceSid }],
      conversations: [
        {
          sid: conversation,
          participants: [{ identity: 'agent' }],
          webhooks: [{ target: 'webhook' }],
          messages: [{ body: 'Hi', author: 'agent' }],
        },
      ],
      messaging_messages: [{ body: 'sms' }],
      interactions: [],
      webhook_deliveries: [],
    });
  });

  test('when a value holds HTML, then the /_emulator page shows it escaped', async () => {
    await populate('<script>alert("x")</script>');
    const response = await admin('');
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
    expect(html).toContain(twilio.emulator.defaultServiceSid);
  });

  test('when /_emulator/reset is posted, then state and faults are cleared and the default service stays', async () => {
    await populate();
    twilio.emulator.faults.add({ route: 'conversations.create', kind: 'status' });
    expect((await admin('/reset', { method: 'POST' })).status).toBe(204);
    expect(twilio.emulator.store.conversations.size).toBe(0);
    expect(twilio.emulator.store.messagingMessages.size).toBe(0);
    expect(twilio.emulator.store.incomingPhoneNumbers.size).toBe(0);
    expect(twilio.emulator.store.addressConfigurations.size).toBe(0);
    expect(twilio.emulator.faults.list()).toEqual([]);
    expect([...twilio.emulator.store.services.keys()]).toEqual([twilio.emulator.defaultServiceSid]);
    expect((await twilio.request('POST', '/v1/Conversations', {})).status).toBe(201);
  });
});
