import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { freePort } from '../../../scripts/lib/free-port';
import { createApp } from '../../../src/api/app';
import { loadConfig } from '../../../src/config';
import { silentLogger } from '../../../src/logger';
import { createLazyClient } from '../../../src/services/connection';
import { type BoundServer, bindFreePort } from '../../helpers/api';
import { recordingMeter } from '../../helpers/metrics';

/**
 * The webhook receiver of a real API whose Temporal server is not there (its address is a closed port): Twilio must
 * get an answer it can act on before its 5 s webhook timeout. Before the fix the SDK's gRPC retries slept past the
 * route's 4 s deadline and the answer was a 500 after 5.6–6.1 s.
 */
describe('POST /webhooks/conversations/:executionSid while Temporal is down', () => {
  let api: BoundServer;
  const meter = recordingMeter();
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  let closeClient: () => Promise<void>;

  beforeAll(async () => {
    api = await bindFreePort();
    const config = loadConfig({
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_AUTH_TOKEN: authToken,
      PUBLIC_BASE_URL: api.url,
      TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`, // nothing listens there
    });
    const temporal = createLazyClient(config.temporal);
    closeClient = () => temporal.connection.close();
    api.attach(createApp({ config, temporal, logger: silentLogger, meter }));
  });

  afterAll(async () => {
    await api?.close();
    await closeClient?.();
  });

  function signedWebhook(executionSid: string) {
    const url = `${api.url}/webhooks/conversations/${executionSid}`;
    const params = {
      EventType: 'onMessageAdded',
      AccountSid: accountSid,
      ConversationSid: `CH${randomBytes(16).toString('hex')}`,
      MessageSid: `IM${randomBytes(16).toString('hex')}`,
      Author: '+15551230000',
      Body: 'yes',
      Index: '1',
      RetryCount: '0',
    };
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, params) },
      body: new URLSearchParams(params),
    });
  }

  test('when the signal cannot be taken, then the answer is 503 with Twilio\'s error body, counted as unavailable', async () => {
    const response = await signedWebhook(`FN${randomBytes(16).toString('hex')}`);

    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      code: 20503,
      message: expect.stringContaining('Temporal is unavailable'),
      more_info: 'https://www.twilio.com/docs/errors/20503',
      status: 503,
    });
    expect(meter.total('studio_webhooks', ['outcome', 'unavailable'])).toBe(1);
    expect(meter.lastValue('studio_reply_redelivery_queue')).toBe(1);
  });
});
