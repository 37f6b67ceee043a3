import { expectTwilioError, field, type FormParams, startEmulator, type TestEmulator } from './helpers';

let twilio: TestEmulator;
beforeAll(async () => {
  twilio = await startEmulator();
});
afterEach(() => twilio.emulator.reset());
afterAll(() => twilio.running.close());

const post = (path: string, params: FormParams = {}) => twilio.request('POST', path, params);
const newConversation = async (params: FormParams = {}) => field((await post('/v1/Conversations', params)).body, 'sid');

describe('conversations', () => {
  test('when FriendlyName has 257 characters, then create answers 400 naming FriendlyName', async () => {
    expectTwilioError(await post('/v1/Conversations', { FriendlyName: 'x'.repeat(257) }), 400, 20001, /FriendlyName/);
  });

  test('when UniqueName is taken in the same service, then create and update answer 409 / 50353', async () => {
    await newConversation({ UniqueName: 'taken' });
    expectTwilioError(await post('/v1/Conversations', { UniqueName: 'taken' }), 409, 50353);
    const other = await newConversation();
    expectTwilioError(await post(`/v1/Conversations/${other}`, { UniqueName: 'taken' }), 409, 50353);
  });

  test('when UniqueName is taken only in another service, then create succeeds', async () => {
    await newConversation({ UniqueName: 'shared-name' });
    const service = field((await post('/v1/Services', { FriendlyName: 'Other' })).body, 'sid');
    expect((await post(`/v1/Services/${service}/Conversations`, { UniqueName: 'shared-name' })).status).toBe(201);
  });

  test('when UniqueName looks like a conversation SID, then create answers 400 / 50390', async () => {
    expectTwilioError(await post('/v1/Conversations', { UniqueName: `CH${'a'.repeat(32)}` }), 400, 50390);
  });

  test.each([
    ['Timers.Inactive', 'PT59S'],
    ['Timers.Closed', 'PT9M'],
    ['Timers.Inactive', 'soon'],
    ['Timers.Closed', 'P1M'],
  ])('when %s is %s, then create answers 400 naming it', async (name, value) => {
    expectTwilioError(
      await post('/v1/Conversations', { [name]: value }),
      400,
      20001,
      new RegExp(name.replace('.', '\\.')),
    );
  });

  test('when timers are set, then timers holds date_inactive and date_closed computed from now', async () => {
    const before = Date.now();
    const created = await post('/v1/Conversations', { 'Timers.Inactive': 'PT1M', 'Timers.Closed': 'P1DT1H' });
    const inactiveIn = Date.parse(field(created.body, 'timers', 'date_inactive')) - before;
    const closedIn = Date.parse(field(created.body, 'timers', 'date_closed')) - before;
    expect(inactiveIn).toBeGreaterThan(58_000);
    expect(inactiveIn).toBeLessThan(62_000);
    expect(closedIn).toBeGreaterThan(90_000_000 - 2_000);
    expect(closedIn).toBeLessThan(90_000_000 + 2_000);
    expect((await post('/v1/Conversations')).body).toMatchObject({ timers: {} });
  });

  test('when State or the State filter is not a conversation state, then it answers 400', async () => {
    expectTwilioError(await post('/v1/Conversations', { State: 'open' }), 400, 20001, /State/);
    expectTwilioError(await twilio.request('GET', '/v1/Conversations?State=open'), 400, 20001, /State/);
  });

  test('when PageSize is 0 or 101, then a list answers 400 naming PageSize', async () => {
    expectTwilioError(await twilio.request('GET', '/v1/Conversations?PageSize=0'), 400, 20001, /PageSize/);
    expectTwilioError(await twilio.request('GET', '/v1/Conversations?PageSize=101'), 400, 20001, /PageSize/);
  });
});

describe('attributes', () => {
  test('when Attributes is not JSON, then conversation, participant and message create answer 400 naming Attributes', async () => {
    const sid = await newConversation();
    const bad = { Attributes: '{"unterminated"' };
    expectTwilioError(await post('/v1/Conversations', bad), 400, 20001, /Attributes/);
    expectTwilioError(
      await post(`/v1/Conversations/${sid}/Participants`, { Identity: 'a', ...bad }),
      400,
      20001,
      /Attributes/,
    );
    expectTwilioError(await post(`/v1/Conversations/${sid}/Messages`, { Body: 'b', ...bad }), 400, 20001, /Attributes/);
  });
});

describe('participants', () => {
  const sms = { 'MessagingBinding.Address': '+15551110000', 'MessagingBinding.ProxyAddress': '+15552220000' };

  test('when the address/proxy pair is in another active conversation, then it answers 409 / 50416', async () => {
    const first = await newConversation();
    expect((await post(`/v1/Conversations/${first}/Participants`, sms)).status).toBe(201);
    const second = await newConversation();
    expectTwilioError(await post(`/v1/Conversations/${second}/Participants`, sms), 409, 50416);
  });

  test('when the conversation holding the pair is closed or deleted, then the pair is free again', async () => {
    const first = await newConversation();
    await post(`/v1/Conversations/${first}/Participants`, sms);
    await post(`/v1/Conversations/${first}`, { State: 'closed' });
    const second = await newConversation();
    expect((await post(`/v1/Conversations/${second}/Participants`, sms)).status).toBe(201);
    await twilio.request('DELETE', `/v1/Conversations/${second}`);
    const third = await newConversation();
    expect((await post(`/v1/Conversations/${third}/Participants`, sms)).status).toBe(201);
  });

  test('when the address equals the proxy address, then it answers 400 / 50409', async () => {
    const sid = await newConversation();
    const params = { 'MessagingBinding.Address': '+15553330000', 'MessagingBinding.ProxyAddress': '+15553330000' };
    expectTwilioError(await post(`/v1/Conversations/${sid}/Participants`, params), 400, 50409);
  });

  test('when the same identity or the same pair is added twice to one conversation, then it answers 409 / 50437', async () => {
    const sid = await newConversation();
    await post(`/v1/Conversations/${sid}/Participants`, { Identity: 'agent' });
    await post(`/v1/Conversations/${sid}/Participants`, sms);
    expectTwilioError(await post(`/v1/Conversations/${sid}/Participants`, { Identity: 'agent' }), 409, 50437);
    expectTwilioError(await post(`/v1/Conversations/${sid}/Participants`, sms), 409, 50437);
  });

  test('when neither Identity nor MessagingBinding.Address is given, then it answers 400 naming them', async () => {
    const sid = await newConversation();
    expectTwilioError(
      await post(`/v1/Conversations/${sid}/Participants`, { Attributes: '{}' }),
      400,
      20001,
      /Identity/,
    );
  });
});

describe('webhooks', () => {
  const hook = {
    Target: 'webhook',
    'Configuration.Url': 'https://example.com/hook',
    'Configuration.Filters': 'onMessageAdded',
  };

  test('when a sixth scoped webhook is added, then it answers 400 saying at most 5', async () => {
    const sid = await newConversation();
    for (let i = 0; i < 5; i += 1) expect((await post(`/v1/Conversations/${sid}/Webhooks`, hook)).status).toBe(201);
    expectTwilioError(await post(`/v1/Conversations/${sid}/Webhooks`, hook), 400, 20001, /at most 5/);
  });

  test('when Target is missing or unknown, then it answers 400 naming Target', async () => {
    const sid = await newConversation();
    expectTwilioError(
      await post(`/v1/Conversations/${sid}/Webhooks`, { 'Configuration.Url': 'https://e.com' }),
      400,
      20001,
      /Target/,
    );
    expectTwilioError(
      await post(`/v1/Conversations/${sid}/Webhooks`, { ...hook, Target: 'flex' }),
      400,
      20001,
      /Target/,
    );
  });

  test('when a webhook target has no URL or a studio target no flow SID, then it answers 400', async () => {
    const sid = await newConversation();
    expectTwilioError(
      await post(`/v1/Conversations/${sid}/Webhooks`, { Target: 'webhook' }),
      400,
      20001,
      /Configuration\.Url/,
    );
    expectTwilioError(await post(`/v1/Conversations/${sid}/Webhooks`, { Target: 'studio' }), 400, 50367);
  });
});

describe('messages', () => {
  test('when Body has 1601 characters, then create answers 400 naming Body', async () => {
    const sid = await newConversation();
    expectTwilioError(await post(`/v1/Conversations/${sid}/Messages`, { Body: 'x'.repeat(1601) }), 400, 20001, /Body/);
  });
});

describe('unknown resources', () => {
  test('when a conversation, participant, webhook, message or service SID is unknown, then it answers 404 / 20404', async () => {
    const sid = await newConversation();
    const unknown = (prefix: string) => `${prefix}${'9'.repeat(32)}`;
    const paths = [
      `/v1/Conversations/${unknown('CH')}`,
      `/v1/Conversations/no-such-unique-name`,
      `/v1/Conversations/${sid}/Participants/${unknown('MB')}`,
      `/v1/Conversations/${sid}/Webhooks/${unknown('WH')}`,
      `/v1/Conversations/${sid}/Messages/${unknown('IM')}`,
      `/v1/Services/${unknown('IS')}`,
      `/v1/Services/${unknown('IS')}/Conversations`,
      '/v1/NoSuchThing',
    ];
    const responses = await Promise.all(paths.map((path) => twilio.request('GET', path)));
    for (const response of responses)
      expectTwilioError(response, 404, 20404, /^The requested resource \/.+ was not found$/);
    expect(field(responses[0]?.body, 'message')).toBe(
      `The requested resource /Conversations/${unknown('CH')} was not found`,
    );
  });

  test('when a body is malformed JSON, then it answers 400, never 500', async () => {
    const response = await fetch(`${twilio.running.url}/v1/Conversations`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: '{"FriendlyName":',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 20001, status: 400 });
  });
});
