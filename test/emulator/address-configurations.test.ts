import { OpenApiResponses } from '../helpers/openapi';
import { expectTwilioError, field, listed, type RawResponse, startEmulator, type TestEmulator } from './helpers';

const oai = new OpenApiResponses('twilio_conversations_v1.json');
const FLOW_SID = `FW${'7'.repeat(32)}`;
const PATH = '/v1/Configuration/Addresses';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterEach(() => emulator.emulator.reset());
afterAll(() => emulator.running.close());

function expectConforms(response: RawResponse, template: string, method: string, status: number): void {
  expect({ status: response.status, body: response.body }).toMatchObject({ status });
  if (status === 204) return expect(response.body).toBeUndefined();
  const validate = oai.validator(template, method, status);
  validate(response.body);
  expect(validate.errors ?? []).toEqual([]);
}

const webhookConfiguration = {
  Type: 'sms',
  Address: '+15551230001',
  FriendlyName: 'Survey line',
  'AutoCreation.Enabled': 'true',
  'AutoCreation.Type': 'webhook',
  'AutoCreation.WebhookUrl': 'https://example.com/hook',
  'AutoCreation.WebhookMethod': 'POST',
  'AutoCreation.WebhookFilters': ['onMessageAdded', 'onParticipantAdded'],
};

describe('address configurations', () => {
  test('when webhook, studio and default configurations are created, fetched, updated, listed and deleted, then every answer matches the OAI schema', async () => {
    const webhook = await emulator.request('POST', PATH, webhookConfiguration);
    expectConforms(webhook, PATH, 'post', 201);
    expect(webhook.body).toMatchObject({
      type: 'sms',
      address: '+15551230001',
      auto_creation: {
        enabled: true,
        type: 'webhook',
        conversation_service_sid: emulator.emulator.defaultServiceSid,
        webhook_url: 'https://example.com/hook',
        webhook_method: 'POST',
        webhook_filters: ['onMessageAdded', 'onParticipantAdded'],
      },
      url: `https://conversations.twilio.com${PATH}/${field(webhook.body, 'sid')}`,
    });
    const studio = await emulator.request('POST', PATH, {
      Type: 'whatsapp',
      Address: 'whatsapp:+15551230002',
      'AutoCreation.Enabled': 'true',
      'AutoCreation.Type': 'studio',
      'AutoCreation.StudioFlowSid': FLOW_SID,
      'AutoCreation.StudioRetryCount': '2',
    });
    expectConforms(studio, PATH, 'post', 201);
    expect(studio.body).toMatchObject({ auto_creation: { enabled: true, type: 'studio', studio_flow_sid: FLOW_SID, studio_retry_count: 2 } });
    expectConforms(await emulator.request('POST', PATH, { Type: 'sms', Address: '+15551230003' }), PATH, 'post', 201);

    const one = `${PATH}/${field(webhook.body, 'sid')}`;
    expectConforms(await emulator.request('GET', one), `${PATH}/{Sid}`, 'get', 200);
    // The path takes the address as well as the SID, as the OAI documents.
    expect((await emulator.request('GET', `${PATH}/${encodeURIComponent('+15551230001')}`)).body).toMatchObject({ sid: field(webhook.body, 'sid') });
    const updated = await emulator.request('POST', one, { 'AutoCreation.Type': 'studio', 'AutoCreation.StudioFlowSid': FLOW_SID, FriendlyName: 'Now a flow' });
    expectConforms(updated, `${PATH}/{Sid}`, 'post', 200);
    expect(updated.body).toMatchObject({ friendly_name: 'Now a flow', auto_creation: { enabled: true, type: 'studio', studio_flow_sid: FLOW_SID } });

    const page = await emulator.request('GET', `${PATH}?PageSize=2`);
    expectConforms(page, PATH, 'get', 200);
    expect(listed(page.body, 'address_configurations', 'address')).toEqual(['+15551230001', 'whatsapp:+15551230002']);
    expect(page.body).toMatchObject({ meta: { key: 'address_configurations', next_page_url: expect.stringContaining('Page=1') } });
    const whatsapp = await emulator.request('GET', `${PATH}?Type=whatsapp`);
    expect(listed(whatsapp.body, 'address_configurations', 'address')).toEqual(['whatsapp:+15551230002']);
    expect(field(whatsapp.body, 'meta', 'url')).toContain('Type=whatsapp');

    expectConforms(await emulator.request('DELETE', one), `${PATH}/{Sid}`, 'delete', 204);
    expectTwilioError(await emulator.request('GET', one), 404, 20404, /Configuration\/Addresses\/IG/);
  });

  test('when a configuration is malformed, then the answer is a Twilio error naming the parameter and nothing is stored', async () => {
    const refusals: Array<[Record<string, string>, RegExp]> = [
      [{ Address: '+1555' }, /Type: is required/],
      [{ Type: 'email', Address: 'a@example.com' }, /Type/],
      [{ Type: 'sms' }, /Address: is required/],
      [{ Type: 'sms', Address: '+1555', 'AutoCreation.Type': 'webhook' }, /AutoCreation\.WebhookUrl: is required/],
      [{ Type: 'sms', Address: '+1555', 'AutoCreation.Type': 'studio' }, /AutoCreation\.StudioFlowSid: is required/],
      [{ Type: 'sms', Address: '+1555', 'AutoCreation.Type': 'studio', 'AutoCreation.StudioFlowSid': 'FW1' }, /StudioFlowSid/],
      [{ Type: 'sms', Address: '+1555', 'AutoCreation.Enabled': 'yes' }, /Enabled: must be true or false/],
      [{ Type: 'sms', Address: '+1555', 'AutoCreation.Type': 'flow' }, /AutoCreation\.Type/],
      [{ Type: 'sms', Address: '+1555', 'AutoCreation.ConversationServiceSid': `IS${'9'.repeat(32)}` }, /no Conversations service/],
      [{ Type: 'sms', Address: '+1555', 'AutoCreation.Type': 'webhook', 'AutoCreation.WebhookUrl': 'https://x', 'AutoCreation.WebhookMethod': 'PUT' }, /WebhookMethod/],
    ];
    for (const [params, message] of refusals) expectTwilioError(await emulator.request('POST', PATH, params), 400, 20001, message);
    expect(emulator.emulator.store.addressConfigurations.size).toBe(0);

    const created = await emulator.request('POST', PATH, webhookConfiguration);
    expectTwilioError(await emulator.request('POST', PATH, webhookConfiguration), 400, 20001, /already has an address configuration/);
    const one = `${PATH}/${field(created.body, 'sid')}`;
    expectTwilioError(await emulator.request('POST', one, { 'AutoCreation.Type': 'studio' }), 400, 20001, /StudioFlowSid/);
    expect((await emulator.request('GET', one)).body).toMatchObject({ auto_creation: { type: 'webhook' } });
    expectTwilioError(await emulator.request('GET', `${PATH}?PageSize=51`), 400, 20001, /PageSize/);
  });
});
