import { expectTwilioError, type FormParams, startEmulator, type TestEmulator } from './helpers';

let twilio: TestEmulator;
beforeAll(async () => {
  twilio = await startEmulator();
});
afterEach(() => twilio.emulator.reset());
afterAll(() => twilio.running.close());

const post = (path: string, params: FormParams = {}) => twilio.request('POST', path, params);

describe('messaging (2010 API)', () => {
  const messages = () => `/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`;

  test.each<{ problem: string; params: FormParams; code: number }>([
    { problem: 'To is missing', params: { From: '+15550001', Body: 'b' }, code: 21604 },
    { problem: 'Body and MediaUrl are missing', params: { To: '+15550001', From: '+15550002' }, code: 21602 },
    { problem: 'From and MessagingServiceSid are missing', params: { To: '+15550001', Body: 'b' }, code: 21603 },
  ])('when $problem, then create answers 400 / $code', async ({ params, code }) => {
    expectTwilioError(await post(messages(), params), 400, code);
  });

  test('when the path names another account, then it answers 404 / 20404', async () => {
    const path = `/2010-04-01/Accounts/AC${'0'.repeat(32)}/Messages.json`;
    expectTwilioError(await post(path, { To: '+15550001', From: '+15550002', Body: 'b' }), 404, 20404);
  });
});

describe('flex interactions', () => {
  const channel = JSON.stringify({ type: 'sms', initiated_by: 'customer' });
  const routing = (workflowSid?: string) => JSON.stringify({ properties: { workflow_sid: workflowSid } });

  test.each([
    ['Channel is missing', { Routing: routing(`WW${'1'.repeat(32)}`) }, /Channel/],
    ['Routing is not JSON', { Channel: channel, Routing: '{' }, /Routing/],
    ['workflow_sid is missing', { Channel: channel, Routing: routing() }, /workflow_sid/],
    ['workflow_sid is not a WW SID', { Channel: channel, Routing: routing('WW123') }, /workflow_sid/],
  ])('when %s, then create answers 400', async (_case, params, message) => {
    expectTwilioError(await post('/v1/Interactions', params), 400, 20001, message);
  });
});
