import twilio from 'twilio';
import { twilioSignature } from '../../emulator/signature';
import { basicAuth, field, listed, rawRequest, startEmulator, type TestEmulator } from './helpers';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterEach(() => emulator.emulator.reset());
afterAll(() => emulator.running.close());

/** Follows a Twilio page URL on the emulator, as the client factory does. */
const follow = (url: string) => emulator.request('GET', url.replace('https://conversations.twilio.com', ''));

describe('request bodies', () => {
  test('when a JSON body nests params as objects, then they read like dotted form params', async () => {
    const conversation = field((await emulator.request('POST', '/v1/Conversations', {})).body, 'sid');
    const response = await fetch(`${emulator.running.url}/v1/Conversations/${conversation}/Participants`, {
      method: 'POST',
      headers: {
        authorization: basicAuth(emulator.accountSid, emulator.authToken),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ MessagingBinding: { Address: 'whatsapp:+15550001', ProxyAddress: 'whatsapp:+15550002' } }),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      messaging_binding: { type: 'whatsapp', address: 'whatsapp:+15550001', proxy_address: 'whatsapp:+15550002' },
    });
  });

  test('when a conversation is addressed by unique name in a sub-resource path, then it resolves to the conversation', async () => {
    const created = await emulator.request('POST', '/v1/Conversations', { UniqueName: 'order-42' });
    const message = await emulator.request('POST', '/v1/Conversations/order-42/Messages', { Body: 'by name' });
    expect(message.body).toMatchObject({ conversation_sid: field(created.body, 'sid'), index: 0 });
  });
});

describe('paging', () => {
  test('when a list spans pages, then next_page_url and previous_page_url walk it both ways', async () => {
    for (let i = 0; i < 5; i += 1) await emulator.request('POST', '/v1/Conversations', { FriendlyName: `c${i}` });
    const first = await emulator.request('GET', '/v1/Conversations?PageSize=2');
    const second = await follow(field(first.body, 'meta', 'next_page_url'));
    const third = await follow(field(second.body, 'meta', 'next_page_url'));
    const back = await follow(field(third.body, 'meta', 'previous_page_url'));
    expect([first, second, third, back].map((r) => listed(r.body, 'conversations', 'friendly_name'))).toEqual([
      ['c0', 'c1'],
      ['c2', 'c3'],
      ['c4'],
      ['c2', 'c3'],
    ]);
    expect(third.body).toMatchObject({ meta: { page: 2, page_size: 2, next_page_url: null, key: 'conversations' } });
    expect(first.body).toMatchObject({
      meta: {
        previous_page_url: null,
        first_page_url: 'https://conversations.twilio.com/v1/Conversations?PageSize=2&Page=0',
      },
    });
  });

  test('when a list is filtered, then the filter is carried into every page URL', async () => {
    await emulator.request('POST', '/v1/Conversations', { State: 'closed' });
    await emulator.request('POST', '/v1/Conversations', { State: 'closed' });
    const page = await emulator.request('GET', '/v1/Conversations?State=closed&PageSize=1');
    expect(field(page.body, 'meta', 'next_page_url')).toMatch(/\?State=closed&PageSize=1&Page=1&PageToken=PA/);
  });
});

describe('signing', () => {
  test.each([
    ['no params', {}],
    ['unsorted names and unicode values', { To: '+1', Body: 'héllo ✓', a: 'lower', B: 'upper', Index: '0' }],
  ])('when the signature covers %s, then it equals the twilio library’s expected signature', (_case, params) => {
    const url = 'https://example.com/hook?x=1';
    expect(twilioSignature('token', url, params)).toBe(twilio.getExpectedTwilioSignature('token', url, params));
  });
});

test('when a raw request has no body on a create route, then defaults apply', async () => {
  const response = await rawRequest(`${emulator.running.url}/v1/Conversations`, 'POST', undefined, {
    authorization: basicAuth(emulator.accountSid, emulator.authToken),
  });
  expect(response.body).toMatchObject({
    state: 'active',
    attributes: '{}',
    unique_name: null,
    timers: {},
    bindings: {},
  });
});
