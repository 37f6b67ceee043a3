import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { OpenApiResponses } from '../helpers/openapi';
import { field, type RawResponse, startEmulator, type TestEmulator } from './helpers';

const oai = new OpenApiResponses('twilio_conversations_v1.json');
const FLOW_SID = `FW${'0'.repeat(32)}`;
const MESSAGING_SERVICE_SID = `MG${'1'.repeat(32)}`;

/** Twilio's error body; the OAI document declares none, so the shape is spelled out here. */
const errorBody = {
  type: 'object',
  required: ['code', 'message', 'more_info', 'status'],
  additionalProperties: false,
  properties: {
    code: { type: 'integer' },
    message: { type: 'string' },
    more_info: { type: 'string', format: 'uri' },
    status: { type: 'integer' },
  },
};

let twilio: TestEmulator;
beforeAll(async () => {
  twilio = await startEmulator();
});
afterAll(() => twilio.running.close());

function expectConforms(response: RawResponse, oaiPath: string, method: string, status: number): void {
  expect({ status: response.status, body: response.body }).toMatchObject({ status });
  if (status === 204) return expect(response.body).toBeUndefined();
  const validate = oai.validator(oaiPath, method, status);
  validate(response.body);
  expect(validate.errors ?? []).toEqual([]);
}

const families = [
  { name: 'default-service paths', oaiBase: '/v1/Conversations', base: () => '/v1/Conversations' },
  {
    name: 'service paths',
    oaiBase: '/v1/Services/{ChatServiceSid}/Conversations',
    base: () => `/v1/Services/${twilio.emulator.defaultServiceSid}/Conversations`,
  },
];

describe.each(families)('on $name', ({ oaiBase, base }) => {
  const createConversation = async () => {
    const response = await twilio.request('POST', base(), {});
    return field(response.body, 'sid');
  };

  test('when a conversation is created, fetched, updated, listed and deleted, then every answer matches the OAI schema', async () => {
    const created = await twilio.request('POST', base(), {
      FriendlyName: 'Conformance',
      UniqueName: `conformance-${oaiBase.length}`,
      Attributes: '{"topic":"schema"}',
      MessagingServiceSid: MESSAGING_SERVICE_SID,
      'Timers.Inactive': 'PT5M',
      'Timers.Closed': 'PT1H',
      'Bindings.Email.Address': 'support@example.com',
      'Bindings.Email.Name': 'Support',
    });
    expectConforms(created, oaiBase, 'post', 201);
    const sid = field(created.body, 'sid');
    expectConforms(await twilio.request('GET', `${base()}/${sid}`), `${oaiBase}/{Sid}`, 'get', 200);
    expectConforms(
      await twilio.request('POST', `${base()}/${sid}`, { State: 'inactive' }),
      `${oaiBase}/{Sid}`,
      'post',
      200,
    );
    expectConforms(await twilio.request('GET', `${base()}?PageSize=1`), oaiBase, 'get', 200);
    expectConforms(await twilio.request('DELETE', `${base()}/${sid}`), `${oaiBase}/{Sid}`, 'delete', 204);
  });

  test('when SMS and chat participants are created, listed, fetched and deleted, then every answer matches the OAI schema', async () => {
    const conversation = await createConversation();
    const path = `${oaiBase}/{ConversationSid}/Participants`;
    const url = `${base()}/${conversation}/Participants`;
    const sms = await twilio.request('POST', url, {
      'MessagingBinding.Address': `+1555${Date.now() % 1_000_000}`,
      'MessagingBinding.ProxyAddress': `+1666${oaiBase.length}`,
    });
    expectConforms(sms, path, 'post', 201);
    const chat = await twilio.request('POST', url, { Identity: 'agent', RoleSid: `RL${'2'.repeat(32)}` });
    expectConforms(chat, path, 'post', 201);
    expectConforms(await twilio.request('GET', url), path, 'get', 200);
    expectConforms(await twilio.request('GET', `${url}/${field(chat.body, 'sid')}`), `${path}/{Sid}`, 'get', 200);
    expectConforms(await twilio.request('DELETE', `${url}/${field(sms.body, 'sid')}`), `${path}/{Sid}`, 'delete', 204);
  });

  test('when webhook and studio webhooks are created, listed, fetched and deleted, then every answer matches the OAI schema', async () => {
    const conversation = await createConversation();
    const path = `${oaiBase}/{ConversationSid}/Webhooks`;
    const url = `${base()}/${conversation}/Webhooks`;
    const webhook = await twilio.request('POST', url, {
      Target: 'webhook',
      'Configuration.Url': 'https://example.com/hook',
      'Configuration.Method': 'POST',
      'Configuration.Filters': ['onMessageAdded', 'onConversationRemoved'],
    });
    expectConforms(webhook, path, 'post', 201);
    expectConforms(
      await twilio.request('POST', url, { Target: 'studio', 'Configuration.FlowSid': FLOW_SID }),
      path,
      'post',
      201,
    );
    expectConforms(await twilio.request('GET', url), path, 'get', 200);
    expectConforms(await twilio.request('GET', `${url}/${field(webhook.body, 'sid')}`), `${path}/{Sid}`, 'get', 200);
    expectConforms(
      await twilio.request('DELETE', `${url}/${field(webhook.body, 'sid')}`),
      `${path}/{Sid}`,
      'delete',
      204,
    );
  });

  test('when messages are created, listed in both orders and fetched, then every answer matches the OAI schema', async () => {
    const conversation = await createConversation();
    const path = `${oaiBase}/{ConversationSid}/Messages`;
    const url = `${base()}/${conversation}/Messages`;
    const message = await twilio.request('POST', url, { Author: 'system', Body: 'Hello', Attributes: '{"a":1}' });
    expectConforms(message, path, 'post', 201);
    expectConforms(await twilio.request('POST', url, { MediaSid: `ME${'3'.repeat(32)}` }), path, 'post', 201);
    expectConforms(await twilio.request('GET', `${url}?Order=desc&PageSize=1`), path, 'get', 200);
    expectConforms(await twilio.request('GET', `${url}?Order=asc`), path, 'get', 200);
    expectConforms(await twilio.request('GET', `${url}/${field(message.body, 'sid')}`), `${path}/{Sid}`, 'get', 200);
  });
});

test('when a service is created and fetched, then both answers match the OAI schema', async () => {
  const created = await twilio.request('POST', '/v1/Services', { FriendlyName: 'Second service' });
  expectConforms(created, '/v1/Services', 'post', 201);
  expectConforms(
    await twilio.request('GET', `/v1/Services/${field(created.body, 'sid')}`),
    '/v1/Services/{Sid}',
    'get',
    200,
  );
});

test('when requests fail (404, 400, 409, 401), then every error body has exactly code, message, more_info and status', async () => {
  const validate = addFormats(new Ajv({ strict: false })).compile(errorBody);
  const conversation = await twilio.request('POST', '/v1/Conversations', { UniqueName: 'taken' });
  const failures = [
    await twilio.request('GET', `/v1/Conversations/CH${'f'.repeat(32)}`),
    await twilio.request('POST', '/v1/Conversations', { Attributes: '{nope' }),
    await twilio.request('POST', '/v1/Conversations', { UniqueName: 'taken' }),
    await fetch(`${twilio.running.url}/v1/Conversations`).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    })),
  ];
  expect(conversation.status).toBe(201);
  expect(failures.map((f) => f.status)).toEqual([404, 400, 409, 401]);
  for (const failure of failures) {
    validate(failure.body);
    expect(validate.errors ?? []).toEqual([]);
    expect(failure.body).toMatchObject({
      status: failure.status,
      more_info: expect.stringMatching(/^https:\/\/www\.twilio\.com\/docs\/errors\/\d+$/),
    });
  }
});

/**
 * Twilio's 2010 Message list page (api v2010 has no OpenAPI file here), as its Message resource documents it: the
 * records under `messages` and the page keys beside them, URIs relative to api.twilio.com.
 */
const legacyMessagePage = {
  type: 'object',
  required: ['messages', 'uri', 'first_page_uri', 'next_page_uri', 'previous_page_uri', 'page', 'page_size', 'start', 'end'],
  additionalProperties: false,
  properties: {
    messages: {
      type: 'array',
      items: {
        type: 'object',
        required: ['sid', 'account_sid', 'to', 'from', 'body', 'status', 'direction', 'date_created', 'date_sent', 'uri', 'num_media'],
        properties: { sid: { type: 'string', pattern: '^SM[0-9a-f]{32}$' }, date_sent: { type: 'string' } },
      },
    },
    uri: { type: 'string', pattern: '^/2010-04-01/Accounts/AC[0-9a-f]{32}/Messages\\.json\\?' },
    first_page_uri: { type: 'string', pattern: '^/2010-04-01/' },
    next_page_uri: { type: ['string', 'null'], pattern: '^/2010-04-01/' },
    previous_page_uri: { type: ['string', 'null'], pattern: '^/2010-04-01/' },
    page: { type: 'integer' },
    page_size: { type: 'integer' },
    start: { type: 'integer' },
    end: { type: 'integer' },
  },
};

test('when 2010 messages are listed with To, From and DateSent filters, then each page has Twilio\'s 2010 page keys and the filters stay in its URIs', async () => {
  const validate = addFormats(new Ajv({ strict: false })).compile(legacyMessagePage);
  const path = `/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`;
  for (const body of ['a', 'b']) await twilio.request('POST', path, { To: '+15551230001', From: '+15551230002', Body: body });
  const today = new Date().toISOString().slice(0, 10);
  const page = await twilio.request('GET', `${path}?To=%2B15551230001&From=%2B15551230002&DateSent%3E=${today}&PageSize=1`);
  expect(page.status).toBe(200);
  validate(page.body);
  expect(validate.errors ?? []).toEqual([]);
  expect(page.body).toMatchObject({ page: 0, page_size: 1, start: 0, end: 0, next_page_uri: expect.stringContaining('DateSent%3E=') });
  const next = await twilio.request('GET', String(field(page.body, 'next_page_uri')));
  validate(next.body);
  expect(validate.errors ?? []).toEqual([]);
  expect(next.body).toMatchObject({ page: 1, next_page_uri: null, messages: [{ body: 'a' }] });
  const refused = await twilio.request('GET', `${path}?DateSent=yesterday`);
  expect(refused).toMatchObject({ status: 400, body: { code: 20001 } });
});
