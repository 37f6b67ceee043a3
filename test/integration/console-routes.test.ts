import type { Client } from '@temporalio/client';
import { freePort } from '../../scripts/lib/free-port';
import { type BoundServer, startApi } from '../helpers/api';
import { startApiProcess } from '../helpers/processes';
import { testConfig } from '../helpers/config';
import { startStack, type TestStack } from '../helpers/stack';
import { connectClient } from '../helpers/temporal';
import { basicAuthorization, type Config } from '../../src/config';

/** The console's server side: settings, browser modules, and the emulator pass-through only where there is one. */
describe('console routes', () => {
  let stack: TestStack;
  let temporal: Client;

  beforeAll(async () => {
    stack = await startStack('console-routes');
    temporal = await connectClient();
  });

  afterAll(async () => {
    await stack?.stop();
    await temporal?.connection.close();
  });

  const get = (url: string, config: Config) => fetch(url, { headers: { authorization: basicAuthorization(config.twilio) } });

  test('with the emulator as Twilio, the settings show the phone and the pass-through reaches the emulator', async () => {
    const settings = await (await get(`${stack.api.url}/console/config.json`, stack.config)).json();
    expect(settings).toEqual({ accountSid: stack.config.twilio.accountSid, temporalUiUrl: 'http://localhost:8233', namespace: 'default', phone: true });
    const unknown = await get(`${stack.api.url}/console/emulator/v1/Conversations/CH${'0'.repeat(32)}/Messages`, stack.config);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 20404 }); // the emulator's answer, passed through
  });

  test('the pass-through takes only the phone’s endpoints, and only with the credentials', async () => {
    const services = await get(`${stack.api.url}/console/emulator/v1/Services`, stack.config);
    expect(services.status).toBe(404);
    expect(await services.json()).toMatchObject({ code: 20404, message: expect.stringContaining('/console/emulator/v1/Services') });
    const reset = await fetch(`${stack.api.url}/console/emulator/_emulator/reset`, { method: 'POST', headers: { authorization: stack.authorization } });
    expect(reset.status).toBe(404);
    const anonymous = await fetch(`${stack.api.url}/console/emulator/_emulator/inbound`, { method: 'POST', body: new URLSearchParams({ From: '+1', To: '+2', Body: 'x' }) });
    expect(anonymous.status).toBe(401);
  });

  test('serves the browser modules the import map names, as JavaScript', async () => {
    for (const name of ['preact.mjs', 'preact-hooks.mjs', 'htm.mjs', 'dagre.mjs']) {
      const response = await get(`${stack.api.url}/console/vendor/${name}`, stack.config);
      expect([name, response.status, response.headers.get('content-type')]).toEqual([name, 200, expect.stringMatching(/^text\/javascript/)]);
    }
  });

  test('the API process (plain Node resolves the packages, not jest) serves the console and its browser modules', async () => {
    const port = await freePort();
    const config = testConfig({ PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}` });
    const api = startApiProcess(config);
    try {
      await api.ready;
      for (const path of ['/console/', '/console/app.js', '/console/vendor/preact.mjs', '/console/vendor/preact-hooks.mjs', '/console/vendor/htm.mjs', '/console/vendor/dagre.mjs']) {
        expect([path, (await get(`${config.publicBaseUrl}${path}`, config)).status]).toEqual([path, 200]);
      }
    } finally {
      await api.stop();
    }
  });

  test('against real Twilio the phone is hidden and there is no pass-through; the Temporal UI URL is configurable', async () => {
    const config = testConfig({ TEMPORAL_UI_URL: 'https://temporal.example.test/ui/' });
    let api: BoundServer | undefined;
    try {
      api = await startApi(config, temporal);
      const settings = await (await get(`${api.url}/console/config.json`, config)).json();
      expect(settings).toMatchObject({ phone: false, temporalUiUrl: 'https://temporal.example.test/ui' });
      expect((await get(`${api.url}/console/emulator/v1/Conversations/CH${'0'.repeat(32)}/Messages`, config)).status).toBe(404);
      const page = await get(`${api.url}/console/`, config);
      expect([page.status, page.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^text\/html/)]);
    } finally {
      await api?.close();
    }
  });
});
