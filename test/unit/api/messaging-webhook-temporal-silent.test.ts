import { randomBytes } from 'node:crypto';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import twilio from 'twilio';
import { createApp } from '../../../src/api/app';
import { loadConfig } from '../../../src/config';
import { silentLogger } from '../../../src/logger';
import { createLazyClient } from '../../../src/services/connection';
import { MESSAGING_ROUTING_DEADLINE_MS } from '../../../src/services/inbound-router';
import { type BoundServer, bindFreePort } from '../../helpers/api';
import { recordingMeter } from '../../helpers/metrics';

/**
 * The flow webhook URL of a real API whose Temporal server takes connections and never answers (a stalled or
 * overloaded frontend). Twilio waits 15 s for a Messaging webhook's answer: routing must give up within its 10 s
 * deadline and say 503, not hang. Before the route bounded its Temporal calls, the request was still unanswered
 * after 20 s.
 */
describe('POST /v1/Accounts/:accountSid/Flows/:flowSid while Temporal does not answer', () => {
  let api: BoundServer;
  let silent: Server;
  const sockets = new Set<Socket>();
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  let closeClient: () => Promise<void>;

  beforeAll(async () => {
    silent = createServer((socket) => void sockets.add(socket)); // takes the connection, never says a word
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    api = await bindFreePort();
    const config = loadConfig({
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_AUTH_TOKEN: authToken,
      PUBLIC_BASE_URL: api.url,
      TEMPORAL_ADDRESS: `127.0.0.1:${(silent.address() as AddressInfo).port}`,
    });
    const temporal = createLazyClient(config.temporal);
    closeClient = () => temporal.connection.close();
    api.attach(createApp({ config, temporal, logger: silentLogger, meter: recordingMeter() }));
  });

  afterAll(async () => {
    await api?.close();
    await closeClient?.().catch(() => undefined);
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
  });

  test('when an SMS arrives, then the answer is 503 with Twilio’s error body within the routing deadline', async () => {
    const url = `${api.url}/v1/Accounts/${accountSid}/Flows/FW${randomBytes(16).toString('hex')}`;
    const params = {
      MessageSid: `SM${randomBytes(16).toString('hex')}`,
      SmsSid: `SM${randomBytes(16).toString('hex')}`,
      AccountSid: accountSid,
      From: '+15551230000',
      To: '+15557650000',
      Body: 'hello',
      NumMedia: '0',
      NumSegments: '1',
      ApiVersion: '2010-04-01',
    };
    const started = Date.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, params) },
      body: new URLSearchParams(params),
      signal: AbortSignal.timeout(20_000),
    });
    const took = Date.now() - started;

    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: 20503, status: 503, more_info: 'https://www.twilio.com/docs/errors/20503' });
    expect(took).toBeLessThan(MESSAGING_ROUTING_DEADLINE_MS + 2_000);
  }, 30_000);
});
