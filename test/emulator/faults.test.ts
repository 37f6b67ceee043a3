import RestException from 'twilio/lib/base/RestException';
import { createTwilioClient, type TwilioClient } from '../../src/activities/twilio/twilio-client';
import { field, rawRequest, startEmulator, type TestEmulator } from './helpers';

let twilio: TestEmulator;
let client: TwilioClient;
beforeAll(async () => {
  twilio = await startEmulator();
  client = createTwilioClient(
    { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.running.url },
    { timeoutMs: 300 },
  );
});
afterEach(() => twilio.emulator.reset());
afterAll(() => twilio.running.close());

const faults = () => twilio.emulator.faults;
const conversationCount = () => twilio.emulator.store.conversations.size;

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

describe('status faults', () => {
  test('when conversations.create fails twice with 500, then two calls get 500 / 20500 and the third succeeds', async () => {
    faults().add({ route: 'conversations.create', kind: 'status', status: 500, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push(await twilio.request('POST', '/v1/Conversations', {}));
    expect(statuses.map((r) => r.status)).toEqual([500, 500, 201]);
    expect(statuses[0]?.body).toMatchObject({ code: 20500, status: 500 });
    expect(conversationCount()).toBe(1);
    expect(faults().list()).toEqual([]);
  });

  test('when a route answers 429, then the client sees RestException 429 / 20429 and no Retry-After header is sent', async () => {
    faults().add({ route: 'messaging.messages.create', kind: 'status', status: 429 });
    const raw = await twilio.request('POST', `/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`, {
      To: '+1',
      From: '+2',
      Body: 'b',
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBeNull();
    faults().add({ route: 'messaging.messages.create', kind: 'status', status: 429 });
    const error = await failure(client.messages.create({ to: '+15550001', from: '+15550002', body: 'b' }));
    expect(error).toBeInstanceOf(RestException);
    expect(error).toMatchObject({ status: 429, code: 20429 });
  });

  test('when a route is armed to refuse, then it answers 400 / 20001 without changing anything', async () => {
    faults().add({ route: 'conversations.create', kind: 'status', status: 400 });
    const refused = await twilio.request('POST', '/v1/Conversations', {});
    expect(refused).toMatchObject({ status: 400, body: { code: 20001, status: 400 } });
    expect(conversationCount()).toBe(0);
  });

  test('when a route is delayed, then it answers normally, only that much later', async () => {
    faults().add({ route: 'conversations.create', kind: 'delay', ms: 300 });
    const started = Date.now();
    const created = await twilio.request('POST', '/v1/Conversations', {});
    expect(created.status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  test('when the client gives up on a delayed create, then the emulator still makes it when the delay ends, as Twilio finishes what it received', async () => {
    faults().add({ route: 'messaging.messages.create', kind: 'delay', ms: 600 });
    const error = await failure(client.messages.create({ to: '+15550011', from: '+15550012', body: 'late' }));
    expect(String(error)).toMatch(/timeout/i);
    expect(twilio.emulator.store.messagingMessages.size).toBe(0); // still being worked on
    await twilio.emulator.faults.nextReply('messaging.messages.create');
    expect([...twilio.emulator.store.messagingMessages.values()].map((m) => m.body)).toEqual(['late']);
  });

  test('when a fault names a match, then only a call containing that text fires it, whenever it comes', async () => {
    faults().add({ route: 'messaging.messages.create', kind: 'status', status: 500, match: '+15550021' });
    const path = `/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`;
    const other = await twilio.request('POST', path, { To: '+15550022', From: '+15550020', Body: 'b' });
    const matching = await twilio.request('POST', path, { To: '+15550021', From: '+15550020', Body: 'b' });
    expect([other.status, matching.status]).toEqual([201, 500]);
    expect(faults().list()).toEqual([]);
  });

  test('when a fault is armed for a route, then it fires on the service path family too', async () => {
    faults().add({ route: 'conversations.fetch', kind: 'status' });
    const sid = field((await twilio.request('POST', '/v1/Conversations', {})).body, 'sid');
    const path = `/v1/Services/${twilio.emulator.defaultServiceSid}/Conversations/${sid}`;
    expect((await twilio.request('GET', path)).status).toBe(500);
    expect((await twilio.request('GET', path)).status).toBe(200);
  });
});

describe('hang faults', () => {
  test('when conversations.create hangs, then the client times out, nothing is created and the next call works', async () => {
    faults().add({ route: 'conversations.create', kind: 'hang' });
    const error = await failure(client.conversations.v1.conversations.create({ friendlyName: 'never' }));
    expect(error).not.toBeInstanceOf(RestException);
    expect(String(error)).toMatch(/timeout/i);
    expect(conversationCount()).toBe(0);
    expect((await client.conversations.v1.conversations.create({ friendlyName: 'now' })).friendlyName).toBe('now');
  });

  test('when a request hangs, then close() still finishes promptly', async () => {
    const other = await startEmulator();
    other.emulator.faults.add({ route: 'conversations.list', kind: 'hang' });
    const pending = other.request('GET', '/v1/Conversations').catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await other.running.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(String(await pending)).toMatch(/fetch failed/);
  });
});

describe('commit-then-fail faults', () => {
  test('when participants.create commits then answers 500, then the client sees 500 but the participant exists', async () => {
    const conversation = await client.conversations.v1.conversations.create();
    faults().add({ route: 'participants.create', kind: 'commit-then-fail', after: 'status500' });
    const error = await failure(
      client.conversations.v1.conversations(conversation.sid).participants.create({ identity: 'ghost' }),
    );
    expect(error).toMatchObject({ status: 500, code: 20500 });
    const participants = await client.conversations.v1.conversations(conversation.sid).participants.list();
    expect(participants.map((p) => p.identity)).toEqual(['ghost']);
  });

  test('when messages.create commits then drops the connection, then the client sees a network error but the message exists', async () => {
    const conversation = await client.conversations.v1.conversations.create();
    faults().add({ route: 'messages.create', kind: 'commit-then-fail', after: 'drop', times: 2 });
    const messages = client.conversations.v1.conversations(conversation.sid).messages;
    for (const body of ['first', 'second']) {
      const error = await failure(messages.create({ body }));
      expect(error).not.toBeInstanceOf(RestException);
    }
    expect((await messages.list()).map((m) => [m.index, m.body])).toEqual([
      [0, 'first'],
      [1, 'second'],
    ]);
  });
});

describe('the fault HTTP API', () => {
  const url = () => `${twilio.running.url}/_emulator/faults`;
  const postJson = (body: unknown) =>
    fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  test('when faults are added, listed and cleared over HTTP, then the registry follows and consumes them as they fire', async () => {
    const added = await postJson({ route: 'webhooks.delete', kind: 'status', status: 429, times: 2 });
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({ route: 'webhooks.delete', kind: 'status', status: 429, remaining: 2 });
    await postJson({ route: 'conversations.delete', kind: 'commit-then-fail' });
    const listed = await rawRequest(url(), 'GET');
    expect(listed.body).toMatchObject({
      faults: [{ route: 'webhooks.delete' }, { route: 'conversations.delete', after: 'status500' }],
    });
    expect((await rawRequest(url(), 'DELETE')).status).toBe(204);
    expect(faults().list()).toEqual([]);
  });

  test('when a fault spec is malformed, then the HTTP API answers 400 naming the field', async () => {
    for (const [spec, name] of [
      [{ route: 'nope.create', kind: 'status' }, 'route'],
      [{ route: 'conversations.create', kind: 'explode' }, 'kind'],
      [{ route: 'conversations.create', kind: 'status', status: 503 }, 'status'],
      [{ route: 'conversations.create', kind: 'hang', times: 0 }, 'times'],
    ] as const) {
      const response = await postJson(spec);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 20001, message: expect.stringContaining(name) });
    }
  });
});
