import { createTwilioClient } from '../../src/activities/twilio/twilio-client';
import { OpenApiResponses } from '../helpers/openapi';
import { expectTwilioError, field, listed, type RawResponse, startEmulator, type TestEmulator } from './helpers';

const oai = new OpenApiResponses('twilio_api_v2010.json');

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterEach(() => emulator.emulator.reset());
afterAll(() => emulator.running.close());

const numbers = () => `/2010-04-01/Accounts/${emulator.accountSid}/IncomingPhoneNumbers`;
const messages = () => `/2010-04-01/Accounts/${emulator.accountSid}/Messages.json`;

function expectConforms(response: RawResponse, path: string, method: string, status: number): void {
  expect({ status: response.status, body: response.body }).toMatchObject({ status });
  if (status === 204) return expect(response.body).toBeUndefined();
  expect(oai.errorsFor(path.replace(/\?.*$/, ''), method, status, response.body)).toEqual([]);
}

describe('IncomingPhoneNumbers', () => {
  test('when a number is created, fetched, updated, listed and released, then every answer matches the 2010 OAI schema', async () => {
    const created = await emulator.request('POST', `${numbers()}.json`, {
      PhoneNumber: '+15551230001',
      SmsUrl: 'https://example.com/sms',
      SmsMethod: 'GET',
      VoiceUrl: 'https://example.com/voice',
    });
    expectConforms(created, `${numbers()}.json`, 'post', 201);
    expect(created.body).toMatchObject({
      phone_number: '+15551230001',
      friendly_name: '(555) 123-0001',
      sms_url: 'https://example.com/sms',
      sms_method: 'GET',
      voice_url: 'https://example.com/voice',
      uri: `${numbers()}/${field(created.body, 'sid')}.json`,
    });
    const one = `${numbers()}/${field(created.body, 'sid')}.json`;
    expectConforms(await emulator.request('GET', one), one, 'get', 200);
    const updated = await emulator.request('POST', one, { SmsUrl: 'https://example.com/flow', SmsMethod: 'POST', FriendlyName: 'Survey line' });
    expectConforms(updated, one, 'post', 200);
    expect(updated.body).toMatchObject({ sms_url: 'https://example.com/flow', sms_method: 'POST', friendly_name: 'Survey line', voice_url: 'https://example.com/voice' });
    expect((await emulator.request('POST', one, { SmsUrl: '' })).body).toMatchObject({ sms_url: null });
    expectConforms(await emulator.request('GET', `${numbers()}.json`), `${numbers()}.json`, 'get', 200);
    expectConforms(await emulator.request('DELETE', one), one, 'delete', 204);
    expectTwilioError(await emulator.request('GET', one), 404, 20404, /IncomingPhoneNumbers\/PN[0-9a-f]{32}\.json was not found/);
  });

  test('when numbers are listed with PhoneNumber (partial, * for a digit) and paged, then the filter holds on every page', async () => {
    for (const n of ['+15551230001', '+15551230002', '+15559990003', '+447700900004']) {
      await emulator.request('POST', `${numbers()}.json`, { PhoneNumber: n });
    }
    const page = await emulator.request('GET', `${numbers()}.json?PhoneNumber=%2B1555*23&PageSize=1`);
    expectConforms(page, `${numbers()}.json`, 'get', 200);
    expect(listed(page.body, 'incoming_phone_numbers', 'phone_number')).toEqual(['+15551230001']);
    expect(page.body).toMatchObject({ page: 0, page_size: 1, start: 0, end: 0, previous_page_uri: null });
    const next = await emulator.request('GET', field(page.body, 'next_page_uri'));
    expect(listed(next.body, 'incoming_phone_numbers', 'phone_number')).toEqual(['+15551230002']);
    expect(next.body).toMatchObject({ page: 1, next_page_uri: null, uri: expect.stringContaining('PhoneNumber=%2B1555*23') });
    const uk = await emulator.request('GET', `${numbers()}.json?PhoneNumber=7700900`);
    expect(listed(uk.body, 'incoming_phone_numbers', 'phone_number')).toEqual(['+447700900004']);
    const named = await emulator.request('GET', `${numbers()}.json?FriendlyName=${encodeURIComponent('(555) 999-0003')}`);
    expect(listed(named.body, 'incoming_phone_numbers', 'phone_number')).toEqual(['+15559990003']);
  });

  test('when the official twilio client provisions and updates a number, then it reads back what it set', async () => {
    // The product's client factory sends every *.twilio.com request to the emulator, keeping path and query.
    const client = createTwilioClient({ accountSid: emulator.accountSid, authToken: emulator.authToken, apiBaseUrl: emulator.running.url });
    const number = await client.incomingPhoneNumbers.create({ phoneNumber: '+15551230009', smsUrl: 'https://example.com/a' });
    await client.incomingPhoneNumbers(number.sid).update({ smsUrl: 'https://example.com/b', smsMethod: 'GET' });
    const [listedNumber] = await client.incomingPhoneNumbers.list({ phoneNumber: '+15551230009' });
    expect(listedNumber).toMatchObject({ sid: number.sid, smsUrl: 'https://example.com/b', smsMethod: 'GET', phoneNumber: '+15551230009' });
  });

  test('when a create or update is malformed, then the answer is a Twilio error naming the problem and nothing changes', async () => {
    expectTwilioError(await emulator.request('POST', `${numbers()}.json`, {}), 400, 20001, /PhoneNumber: is required/);
    expectTwilioError(await emulator.request('POST', `${numbers()}.json`, { PhoneNumber: '5551230001' }), 400, 20001, /E\.164/);
    expectTwilioError(await emulator.request('POST', `${numbers()}.json`, { PhoneNumber: '+15551230001', SmsUrl: 'ftp://x' }), 400, 20001, /SmsUrl/);
    const created = await emulator.request('POST', `${numbers()}.json`, { PhoneNumber: '+15551230001', SmsUrl: 'https://example.com/sms' });
    expectTwilioError(await emulator.request('POST', `${numbers()}.json`, { PhoneNumber: '+15551230001' }), 400, 21422, /not available/);
    const one = `${numbers()}/${field(created.body, 'sid')}.json`;
    expectTwilioError(await emulator.request('POST', one, { SmsUrl: 'https://example.com/new', SmsMethod: 'PUT' }), 400, 20001, /SmsMethod/);
    expect((await emulator.request('GET', one)).body).toMatchObject({ sms_url: 'https://example.com/sms', sms_method: 'POST' });
    const otherAccount = `/2010-04-01/Accounts/AC${'0'.repeat(32)}/IncomingPhoneNumbers.json`;
    expectTwilioError(await emulator.request('GET', otherAccount), 404, 20404);
  });
});

describe('the Messages list', () => {
  test('when the product sent messages and contacts texted in, then both directions are listed, filtered by To and From, as the 2010 OAI says', async () => {
    await emulator.request('POST', `${numbers()}.json`, { PhoneNumber: '+15551230001' });
    await emulator.request('POST', messages(), { From: '+15551230001', To: '+15557770001', Body: 'How was your visit?' });
    const inbound = await fetch(`${emulator.running.url}/_emulator/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ From: '+15557770001', To: '+15551230001', Body: 'Great' }),
    });
    expect(inbound.status).toBe(201);
    const all = await emulator.request('GET', messages());
    expectConforms(all, messages(), 'get', 200);
    expect(all.body).toMatchObject({
      messages: [
        { direction: 'inbound', status: 'received', from: '+15557770001', to: '+15551230001', body: 'Great' },
        { direction: 'outbound-api', status: 'queued', from: '+15551230001', to: '+15557770001' },
      ],
    });
    const replies = await emulator.request('GET', `${messages()}?From=%2B15557770001&To=%2B15551230001`);
    expectConforms(replies, messages(), 'get', 200);
    expect(listed(replies.body, 'messages', 'body')).toEqual(['Great']);
    const sent = await emulator.request('GET', `${messages()}?To=%2B15557770001`);
    expect(listed(sent.body, 'messages', 'body')).toEqual(['How was your visit?']);
  });
});
