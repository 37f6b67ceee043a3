import { basicAuth, rawRequest, startEmulator, type TestEmulator } from './helpers';

let twilio: TestEmulator;
beforeAll(async () => {
  twilio = await startEmulator();
});
afterAll(() => twilio.running.close());

const routes = () => [
  ['POST', '/v1/Conversations'],
  ['GET', `/v1/Services/${twilio.emulator.defaultServiceSid}/Conversations`],
  ['POST', '/v1/Services'],
  ['POST', `/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`],
  ['POST', '/v1/Interactions'],
  ['GET', '/v1/NoSuchRoute'],
];

describe('authentication', () => {
  test.each([
    ['no credentials', undefined],
    ['a wrong auth token', () => basicAuth(twilio.accountSid, 'wrong-token')],
    ['another account SID', () => basicAuth(`AC${'0'.repeat(32)}`, twilio.authToken)],
    ['a non-Basic scheme', () => `Bearer ${twilio.authToken}`],
  ])(
    'when a request carries %s, then every Twilio route answers 401 / 20003 Authenticate',
    async (_case, authorization) => {
      for (const [method = 'GET', path] of routes()) {
        const headers: Record<string, string> = authorization ? { authorization: authorization() } : {};
        const response = await rawRequest(
          `${twilio.running.url}${path}`,
          method,
          method === 'GET' ? undefined : {},
          headers,
        );
        expect({ path, status: response.status, body: response.body }).toEqual({
          path,
          status: 401,
          body: {
            code: 20003,
            message: 'Authenticate',
            more_info: 'https://www.twilio.com/docs/errors/20003',
            status: 401,
          },
        });
      }
    },
  );

  test('when the right credentials are sent, then the request is served', async () => {
    expect((await twilio.request('POST', '/v1/Conversations', {})).status).toBe(201);
  });

  test('when the admin routes are called without credentials, then they are served (a local dev tool)', async () => {
    expect((await fetch(`${twilio.running.url}/_emulator/state`)).status).toBe(200);
  });
});
