import { randomBytes } from 'node:crypto';
import { freePort } from '../../../scripts/lib/free-port';
import { createApp } from '../../../src/api/app';
import { basicAuthorization, loadConfig } from '../../../src/config';
import { silentLogger } from '../../../src/logger';
import { API_RETRY_BUDGET_MS, createLazyClient } from '../../../src/services/connection';
import { type BoundServer, bindFreePort } from '../../helpers/api';

/**
 * The Studio API of a real app whose Temporal server is not there (a closed port), wired as src/api.ts wires it: a
 * REST caller gets a 503 it may retry within seconds. Before the fix, a start (whose flow read has no deadline) took
 * the SDK's ~20 s of gRPC retries and then answered 500 (seen in `npm run chaos`, Temporal down 30 s).
 */
describe('the Studio API while Temporal is down', () => {
  let api: BoundServer;
  let authorization: string;
  let closeClient: () => Promise<void>;
  const flowSid = `FW${randomBytes(16).toString('hex')}`;

  beforeAll(async () => {
    api = await bindFreePort();
    const accountSid = `AC${randomBytes(16).toString('hex')}`;
    const authToken = randomBytes(16).toString('hex');
    authorization = basicAuthorization({ accountSid, authToken });
    const config = loadConfig({
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_AUTH_TOKEN: authToken,
      PUBLIC_BASE_URL: api.url,
      TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`, // nothing listens there
    });
    const temporal = createLazyClient(config.temporal, { retryBudgetMs: API_RETRY_BUDGET_MS });
    closeClient = () => temporal.connection.close();
    api.attach(createApp({ config, temporal, logger: silentLogger }));
  });

  afterAll(async () => {
    await api?.close();
    await closeClient?.();
  });

  test.each([
    ['POST', `/v2/Flows/${flowSid}/Executions`, 'To=%2B15551230000&From=%2B15559990000'],
    ['GET', '/v2/Flows', undefined],
    ['GET', `/v2/Flows/${flowSid}`, undefined],
    ['GET', `/v2/Flows/${flowSid}/Executions`, undefined],
  ])('when %s %s is asked, then the answer is 503 with Twilio\'s error body, not a 500', async (method, path, body) => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization, ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body,
    });

    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 503,
      body: { code: 20503, message: expect.stringMatching(/Temporal did not answer/), more_info: 'https://www.twilio.com/docs/errors/20503', status: 503 },
    });
  });
});
