import twilio from 'twilio';
import { expectTwilioError, field, type FormParams, type RawResponse, type Receiver, startEmulator, startReceiver, type TestEmulator } from './helpers';

const FLOW_SID = `FW${'8'.repeat(32)}`;
const CONTACT = '+15557770001';
const NUMBER = '+15551230001';

let emulator: TestEmulator;
let receiver: Receiver;
let flow: Receiver;
beforeAll(async () => {
  emulator = await startEmulator({ timeoutMs: 2000, maxRetries: 2, retryDelayMs: 20 });
});
beforeEach(async () => {
  receiver = await startReceiver();
  // The product's flow webhook URL: <base>/v1/Accounts/{AccountSid}/Flows/{FlowSid}.
  flow = await startReceiver(`/studio/v1/Accounts/${emulator.accountSid}/Flows/${FLOW_SID}`);
  emulator.emulator.setStudioFlowBaseUrl(flow.url.replace(/\/v1\/Accounts\/.*$/, ''));
});
afterEach(async () => {
  emulator.emulator.reset();
  await Promise.all([receiver.close(), flow.close()]);
});
afterAll(() => emulator.running.close());

const post = (path: string, params: FormParams) => emulator.request('POST', path, params);

/** A contact texts a number, as `POST /_emulator/inbound` takes it (form-encoded). */
const text = (params: FormParams): Promise<RawResponse> => post('/_emulator/inbound', params);

function expectSigned(target: Receiver, index: number, url: string): void {
  const request = target.requests[index];
  const signature = request?.headers['x-twilio-signature'];
  if (typeof signature !== 'string' || !request) throw new Error(`request ${index} is missing or unsigned`);
  expect(twilio.validateRequest(emulator.authToken, signature, url, request.method === 'GET' ? {} : request.params)).toBe(true);
}

describe("a contact texting a number with no conversation (the number's SmsUrl)", () => {
  test('when the number has an SmsUrl, then Twilio\'s Messaging webhook fields are posted to it, signed, and the text is listed as inbound', async () => {
    const number = await post(`/2010-04-01/Accounts/${emulator.accountSid}/IncomingPhoneNumbers.json`, { PhoneNumber: NUMBER, SmsUrl: receiver.url });
    const answer = await text({
      From: CONTACT,
      To: NUMBER,
      Body: 'START',
      MediaUrl0: 'https://example.com/cat.jpg',
      MediaUrl1: 'https://example.com/doc',
      MediaContentType1: 'application/pdf',
      NumMedia: '2',
      MessagingServiceSid: `MG${'5'.repeat(32)}`,
    });
    expect(answer.status).toBe(201);
    const sid = field(answer.body, 'message_sid');
    expect(answer.body).toEqual({
      route: 'incoming-phone-number',
      message_sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      conversation_sid: null,
      conversation_message_sid: null,
      participant_sid: null,
      address_configuration_sid: null,
      incoming_phone_number_sid: field(number.body, 'sid'),
      deliveries: [{ kind: 'messaging', url: receiver.url, method: 'POST' }],
    });
    const [attempt] = await emulator.emulator.waitForDeliveries((all) => all.length === 1);
    expect(attempt).toMatchObject({ kind: 'messaging', messageSid: sid, webhookSid: null, conversationSid: null, status: 200 });
    expect(receiver.requests[0]?.params).toEqual({
      MessageSid: sid,
      SmsSid: sid,
      SmsMessageSid: sid,
      AccountSid: emulator.accountSid,
      MessagingServiceSid: `MG${'5'.repeat(32)}`,
      From: CONTACT,
      To: NUMBER,
      Body: 'START',
      NumMedia: '2',
      NumSegments: '1',
      MediaUrl0: 'https://example.com/cat.jpg',
      MediaContentType0: 'image/jpeg',
      MediaUrl1: 'https://example.com/doc',
      MediaContentType1: 'application/pdf',
      SmsStatus: 'received',
      ApiVersion: '2010-04-01',
    });
    expectSigned(receiver, 0, receiver.url);
    const listed = await emulator.request('GET', `/2010-04-01/Accounts/${emulator.accountSid}/Messages/${sid}.json`);
    expect(listed.body).toMatchObject({ direction: 'inbound', status: 'received', from: CONTACT, to: NUMBER, num_media: '2' });
  });

  test('when the SmsUrl is GET and first answers 500, then the text is retried with the same token, signed over the full URL', async () => {
    receiver.respond = (_request, count) => (count === 1 ? 500 : 200);
    await post(`/2010-04-01/Accounts/${emulator.accountSid}/IncomingPhoneNumbers.json`, { PhoneNumber: NUMBER, SmsUrl: receiver.url, SmsMethod: 'GET' });
    // WhatsApp texts reach the number behind the sender; the prefix stays on From and To.
    await text({ From: `whatsapp:${CONTACT}`, To: `whatsapp:${NUMBER}`, Body: 'hola' });
    const attempts = await emulator.emulator.waitForDeliveries((all) => all.length === 2);
    expect(attempts.map((a) => [a.attempt, a.status, a.method])).toEqual([
      [0, 500, 'GET'],
      [1, 200, 'GET'],
    ]);
    expect(new Set(receiver.requests.map((r) => r.headers['i-twilio-idempotency-token'])).size).toBe(1);
    expect(receiver.requests[1]?.params).toMatchObject({ From: `whatsapp:${CONTACT}`, To: `whatsapp:${NUMBER}`, Body: 'hola' });
    expect(receiver.requests[1]?.params).not.toHaveProperty('RetryCount');
    expectSigned(receiver, 1, receiver.requests[1]?.url ?? '');
  });
});

describe('a contact texting an address with auto-creation', () => {
  test('when the configuration is type webhook, then a conversation, its participant and scoped webhook are created and the next text joins it', async () => {
    const configuration = await post('/v1/Configuration/Addresses', {
      Type: 'sms',
      Address: NUMBER,
      'AutoCreation.Enabled': 'true',
      'AutoCreation.Type': 'webhook',
      'AutoCreation.WebhookUrl': receiver.url,
    });
    const first = await text({ From: CONTACT, To: NUMBER, Body: 'hi' });
    expect(first.body).toMatchObject({
      route: 'address-configuration',
      address_configuration_sid: field(configuration.body, 'sid'),
      conversation_sid: expect.stringMatching(/^CH/),
      conversation_message_sid: expect.stringMatching(/^IM/),
      participant_sid: expect.stringMatching(/^MB/),
      deliveries: [{ kind: 'webhook', url: receiver.url, method: 'POST' }],
    });
    const conversation = `/v1/Conversations/${field(first.body, 'conversation_sid')}`;
    expect((await emulator.request('GET', `${conversation}/Participants`)).body).toMatchObject({
      participants: [{ sid: field(first.body, 'participant_sid'), messaging_binding: { type: 'sms', address: CONTACT, proxy_address: NUMBER } }],
    });
    expect((await emulator.request('GET', `${conversation}/Webhooks`)).body).toMatchObject({
      webhooks: [{ target: 'webhook', configuration: { url: receiver.url, method: 'POST', filters: ['onMessageAdded'] } }],
    });
    const second = await text({ From: CONTACT, To: NUMBER, Body: 'again' });
    expect(second.body).toMatchObject({ route: 'conversation', conversation_sid: field(first.body, 'conversation_sid'), address_configuration_sid: null });
    await emulator.emulator.waitForDeliveries((all) => all.filter((a) => a.status === 200).length === 2);
    const bodies = receiver.requests.map((r) => r.params);
    expect(bodies.map((p) => [p.Body, p.Index, p.Author, p.Source, p.WebhookType])).toEqual([
      ['hi', '0', CONTACT, 'SMS', 'webhook'],
      ['again', '1', CONTACT, 'SMS', 'webhook'],
    ]);
    expect(bodies[0]).toMatchObject({ EventType: 'onMessageAdded', ParticipantSid: field(first.body, 'participant_sid'), MessageSid: field(first.body, 'conversation_message_sid') });
    expectSigned(receiver, 0, receiver.url);
    // Both texts are in the Messaging log too, as Twilio logs every text a number receives.
    expect([...emulator.emulator.store.messagingMessages.values()].map((m) => [m.direction, m.body])).toEqual([
      ['inbound', 'hi'],
      ['inbound', 'again'],
    ]);
  });

  test('when the configuration is type studio, then onMessageAdded is posted to the product\'s flow URL, signed over that URL', async () => {
    await post('/v1/Configuration/Addresses', {
      Type: 'whatsapp',
      Address: `whatsapp:${NUMBER}`,
      'AutoCreation.Enabled': 'true',
      'AutoCreation.Type': 'studio',
      'AutoCreation.StudioFlowSid': FLOW_SID,
    });
    const answer = await text({ From: `whatsapp:${CONTACT}`, To: `whatsapp:${NUMBER}`, Body: 'menu' });
    expect(answer.body).toMatchObject({ route: 'address-configuration', deliveries: [{ kind: 'studio', url: flow.url, method: 'POST' }] });
    const [attempt] = await emulator.emulator.waitForDeliveries((all) => all.length === 1);
    expect(attempt).toMatchObject({ kind: 'studio', url: flow.url, status: 200, conversationSid: field(answer.body, 'conversation_sid') });
    expect(flow.requests[0]?.params).toMatchObject({
      EventType: 'onMessageAdded',
      ConversationSid: field(answer.body, 'conversation_sid'),
      Author: `whatsapp:${CONTACT}`,
      Body: 'menu',
      Source: 'WHATSAPP',
      WebhookType: 'studio',
      RetryCount: '0',
    });
    expectSigned(flow, 0, flow.url);
  });

  test('when 20 first texts from one contact arrive at once, then one conversation takes all 20', async () => {
    await post('/v1/Configuration/Addresses', {
      Type: 'sms',
      Address: NUMBER,
      'AutoCreation.Enabled': 'true',
      'AutoCreation.Type': 'webhook',
      'AutoCreation.WebhookUrl': receiver.url,
    });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => text({ From: CONTACT, To: NUMBER, Body: `text ${i}` })));
    expect(new Set(answers.map((a) => field(a.body, 'conversation_sid'))).size).toBe(1);
    expect(answers.filter((a) => field(a.body, 'route') === 'address-configuration')).toHaveLength(1);
    const [conversation] = emulator.emulator.store.conversations.values();
    expect(conversation?.messages.map((m) => m.index)).toEqual([...Array(20).keys()]);
  });

  test('when auto-creation is disabled, then the text falls through to the number, and with no number to a 404', async () => {
    await post('/v1/Configuration/Addresses', { Type: 'sms', Address: NUMBER, 'AutoCreation.Enabled': 'false' });
    expectTwilioError(await text({ From: CONTACT, To: NUMBER, Body: 'hi' }), 404, 20404, /Nothing takes texts from \+15557770001 to \+15551230001/);
    await post(`/2010-04-01/Accounts/${emulator.accountSid}/IncomingPhoneNumbers.json`, { PhoneNumber: NUMBER });
    // A number without an SmsUrl takes the text (it is logged) and posts it nowhere.
    expect((await text({ From: CONTACT, To: NUMBER, Body: 'hi' })).body).toMatchObject({ route: 'incoming-phone-number', deliveries: [] });
  });
});

describe('a contact texting into a conversation that holds the pair', () => {
  test('when the conversation has a studio-target scoped webhook, then the text is added with author = From and posted to the flow URL', async () => {
    const conversationSid = field((await post('/v1/Conversations', {})).body, 'sid');
    const conversation = `/v1/Conversations/${conversationSid}`;
    await post(`${conversation}/Participants`, { 'MessagingBinding.Address': CONTACT, 'MessagingBinding.ProxyAddress': NUMBER });
    const hook = await post(`${conversation}/Webhooks`, { Target: 'studio', 'Configuration.FlowSid': FLOW_SID });
    const answer = await text({ From: CONTACT, To: NUMBER, Body: 'yes' });
    expect(answer.body).toMatchObject({ route: 'conversation', conversation_sid: conversationSid, deliveries: [{ kind: 'studio', url: flow.url }] });
    await emulator.emulator.waitForDeliveries((all) => all.length === 1);
    expect(flow.requests[0]?.params).toMatchObject({ ConversationSid: conversationSid, Author: CONTACT, Body: 'yes', WebhookSid: field(hook.body, 'sid'), WebhookType: 'studio' });
    expectSigned(flow, 0, flow.url);
    const messages = await emulator.request('GET', `${conversation}/Messages`);
    expect(messages.body).toMatchObject({ messages: [{ author: CONTACT, body: 'yes', participant_sid: field(answer.body, 'participant_sid') }] });
  });

  test('when the conversation is inactive it wakes up; when it is closed it takes nothing', async () => {
    const conversationSid = field((await post('/v1/Conversations', { State: 'inactive' })).body, 'sid');
    await post(`/v1/Conversations/${conversationSid}/Participants`, { 'MessagingBinding.Address': CONTACT, 'MessagingBinding.ProxyAddress': NUMBER });
    expect((await text({ From: CONTACT, To: NUMBER, Body: 'wake' })).body).toMatchObject({ route: 'conversation', conversation_sid: conversationSid });
    expect(emulator.emulator.store.conversations.get(conversationSid)?.state).toBe('active');
    await post(`/v1/Conversations/${conversationSid}`, { State: 'closed' });
    expectTwilioError(await text({ From: CONTACT, To: NUMBER, Body: 'late' }), 404, 20404);
  });

  test('when the studio flow base URL is unset, then studio-target webhooks are stored and nothing is posted', async () => {
    emulator.emulator.setStudioFlowBaseUrl(null);
    const conversationSid = field((await post('/v1/Conversations', {})).body, 'sid');
    await post(`/v1/Conversations/${conversationSid}/Participants`, { 'MessagingBinding.Address': CONTACT, 'MessagingBinding.ProxyAddress': NUMBER });
    await post(`/v1/Conversations/${conversationSid}/Webhooks`, { Target: 'studio', 'Configuration.FlowSid': FLOW_SID });
    expect((await text({ From: CONTACT, To: NUMBER, Body: 'x' })).body).toMatchObject({ route: 'conversation', deliveries: [] });
  });
});

describe('bad input to /_emulator/inbound', () => {
  test.each<[string, FormParams, RegExp]>([
    ['no From', { To: NUMBER, Body: 'x' }, /From: is required/],
    ['no To', { From: CONTACT, Body: 'x' }, /To: is required/],
    ['a + that arrived as a space (curl -d From=+1555…)', { From: ' 15557770001', To: NUMBER, Body: 'x' }, /From: ' 15557770001' starts with a space.*%2B/],
    ['neither Body nor media', { From: CONTACT, To: NUMBER }, /Body: is required when no media/],
    ['a NumMedia that does not count the media', { From: CONTACT, To: NUMBER, MediaUrl: 'https://example.com/a.png', NumMedia: '2' }, /NumMedia/],
    ['a media URL that is not http', { From: CONTACT, To: NUMBER, MediaUrl0: 'file:///etc/passwd' }, /MediaUrl/],
    ['a malformed MessagingServiceSid', { From: CONTACT, To: NUMBER, Body: 'x', MessagingServiceSid: 'MG1' }, /MessagingServiceSid/],
  ])('when the text has %s, then it is refused with 400 and nothing is recorded', async (_case, params, message) => {
    await post(`/2010-04-01/Accounts/${emulator.accountSid}/IncomingPhoneNumbers.json`, { PhoneNumber: NUMBER, SmsUrl: receiver.url });
    expectTwilioError(await text(params), 400, 20001, message);
    expect(emulator.emulator.store.messagingMessages.size).toBe(0);
  });

  test('when the body is malformed JSON, then the answer is a Twilio error body, not a 500', async () => {
    const response = await fetch(`${emulator.running.url}/_emulator/inbound`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"From":' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 20001, status: 400 });
  });
});

test('when numbers, configurations and inbound texts exist, then the admin state and page show them', async () => {
  await post(`/2010-04-01/Accounts/${emulator.accountSid}/IncomingPhoneNumbers.json`, { PhoneNumber: NUMBER, SmsUrl: receiver.url });
  await post('/v1/Configuration/Addresses', { Type: 'sms', Address: '+15551239999' });
  await text({ From: CONTACT, To: NUMBER, Body: 'logged' });
  const state: unknown = await (await fetch(`${emulator.running.url}/_emulator/state`)).json();
  expect(state).toMatchObject({
    incoming_phone_numbers: [{ phone_number: NUMBER, sms_url: receiver.url }],
    address_configurations: [{ address: '+15551239999', auto_creation: { enabled: false, type: 'default' } }],
    messaging_messages: [{ direction: 'inbound', body: 'logged' }],
    webhook_queue: { limit: 50, inFlight: expect.any(Number), queued: 0 },
  });
  const html = await (await fetch(`${emulator.running.url}/_emulator`)).text();
  expect(html).toContain('Phone numbers');
  expect(html).toContain('+15551239999');
  expect(html).toContain('inbound');
});
