import { DEFAULT_MAX_CONCURRENT } from '../../emulator/emulator';
import { optionsFromEnv } from '../../emulator/env';
import { field, type Receiver, startEmulator, startReceiver, type TestEmulator } from './helpers';

const LIMIT = 3;
const MESSAGES = 10;

let emulator: TestEmulator;
let receiver: Receiver;
beforeEach(async () => {
  // A long timeout: held answers must not time out while the test looks at the queue.
  emulator = await startEmulator({ maxConcurrent: LIMIT, timeoutMs: 30_000, retryDelayMs: 10 });
  receiver = await startReceiver();
});
afterEach(async () => {
  await emulator.running.close();
  await receiver.close();
});

/** A conversation with a webhook on the receiver; returns its Messages path. */
async function conversationWithWebhook(): Promise<string> {
  const conversation = `/v1/Conversations/${field((await emulator.request('POST', '/v1/Conversations', {})).body, 'sid')}`;
  await emulator.request('POST', `${conversation}/Webhooks`, {
    Target: 'webhook',
    'Configuration.Url': receiver.url,
    'Configuration.Filters': 'onMessageAdded',
  });
  return `${conversation}/Messages`;
}

/** Holds every answer until `open()` is called; `arrived(n)` resolves once n requests have come in. */
function gate(target: Receiver) {
  let open!: () => void;
  const opened = new Promise<number>((resolve) => {
    open = () => resolve(200);
  });
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  target.respond = (_request, count) => {
    for (const waiter of waiters.filter((w) => w.count <= count)) waiter.resolve();
    return opened;
  };
  const arrived = (count: number) =>
    new Promise<void>((resolve) => {
      if (target.requests.length >= count) resolve();
      else waiters.push({ count, resolve });
    });
  return { open, arrived };
}

test(`when ${MESSAGES} deliveries are due at once with a limit of ${LIMIT}, then ${LIMIT} are in flight, the rest queue, and all arrive`, async () => {
  const { open, arrived } = gate(receiver);
  const messages = await conversationWithWebhook();
  for (let i = 0; i < MESSAGES; i += 1) {
    await emulator.request('POST', messages, { Body: `burst ${i}` }, { 'X-Twilio-Webhook-Enabled': 'true' });
  }
  await arrived(LIMIT);
  // Every delivery was queued when its message was created, so the queue is settled now: three out, seven waiting.
  expect(emulator.emulator.webhookQueue()).toEqual({ limit: LIMIT, inFlight: LIMIT, queued: MESSAGES - LIMIT });
  expect(receiver.requests).toHaveLength(LIMIT);
  open();
  const attempts = await emulator.emulator.waitForDeliveries((all) => all.length === MESSAGES, 20_000);
  expect(attempts.every((a) => a.status === 200)).toBe(true);
  expect(receiver.maxInFlight).toBe(LIMIT);
  // Slots are granted in queue order; requests racing over loopback may still land in another order.
  expect(receiver.requests.map((r) => r.params.Body).sort()).toEqual(Array.from({ length: MESSAGES }, (_, i) => `burst ${i}`).sort());
  expect(emulator.emulator.webhookQueue()).toEqual({ limit: LIMIT, inFlight: 0, queued: 0 });
});

test('when a delivery waits to retry, then it holds no slot, so the others go ahead', async () => {
  await emulator.running.close();
  emulator = await startEmulator({ maxConcurrent: 1, timeoutMs: 30_000, retryDelayMs: 200 });
  receiver.respond = (request) => (request.params.Body === 'flaky' && request.params.RetryCount === '0' ? 500 : 200);
  const messages = await conversationWithWebhook();
  await emulator.request('POST', messages, { Body: 'flaky' }, { 'X-Twilio-Webhook-Enabled': 'true' });
  await emulator.request('POST', messages, { Body: 'steady' }, { 'X-Twilio-Webhook-Enabled': 'true' });
  const attempts = await emulator.emulator.waitForDeliveries((all) => all.length === 3);
  // The second message went out while the first waited out its retry delay.
  expect(attempts.map((a) => [a.params.Body, a.status])).toEqual([
    ['flaky', 500],
    ['steady', 200],
    ['flaky', 200],
  ]);
});

test('when the emulator is reset with deliveries queued, then they are dropped and the slots come back', async () => {
  const { open, arrived } = gate(receiver);
  const messages = await conversationWithWebhook();
  for (let i = 0; i < MESSAGES; i += 1) {
    await emulator.request('POST', messages, { Body: `dropped ${i}` }, { 'X-Twilio-Webhook-Enabled': 'true' });
  }
  await arrived(LIMIT);
  emulator.emulator.reset();
  expect(emulator.emulator.webhookQueue().queued).toBe(0);
  open();
  const next = await conversationWithWebhook();
  await emulator.request('POST', next, { Body: 'after reset' }, { 'X-Twilio-Webhook-Enabled': 'true' });
  const attempts = await emulator.emulator.waitForDeliveries((all) => all.length === 1);
  expect(attempts.map((a) => a.params.Body)).toEqual(['after reset']);
});

describe('configuration', () => {
  test('when nothing is set, then the limit is the default of 50', async () => {
    const plain = await startEmulator();
    expect(plain.emulator.webhookQueue()).toEqual({ limit: DEFAULT_MAX_CONCURRENT, inFlight: 0, queued: 0 });
    expect(DEFAULT_MAX_CONCURRENT).toBe(50);
    await plain.running.close();
  });

  test('when the environment sets EMULATOR_WEBHOOK_CONCURRENCY and STUDIO_FLOW_BASE_URL, then they become the options', () => {
    expect(optionsFromEnv({ EMULATOR_WEBHOOK_CONCURRENCY: '8', STUDIO_FLOW_BASE_URL: 'http://127.0.0.1:3000' })).toEqual({
      webhooks: { maxConcurrent: 8 },
      studioFlowBaseUrl: 'http://127.0.0.1:3000',
    });
    expect(optionsFromEnv({ PUBLIC_BASE_URL: 'https://bot.example.com' })).toEqual({ studioFlowBaseUrl: 'https://bot.example.com' });
    expect(optionsFromEnv({})).toEqual({});
  });

  test.each([
    [{ EMULATOR_WEBHOOK_CONCURRENCY: '0' }, /EMULATOR_WEBHOOK_CONCURRENCY must be an integer of 1 or more/],
    [{ EMULATOR_WEBHOOK_CONCURRENCY: 'many' }, /EMULATOR_WEBHOOK_CONCURRENCY/],
    [{ STUDIO_FLOW_BASE_URL: 'localhost:3000' }, /STUDIO_FLOW_BASE_URL must be an absolute http/],
  ])('when the environment holds %p, then it is refused naming the variable', (env, message) => {
    expect(() => optionsFromEnv(env)).toThrow(message);
  });

  test('when createEmulator is given a limit below 1, then it refuses to start', async () => {
    await expect(startEmulator({ maxConcurrent: 0 })).rejects.toThrow(/concurrency limit must be an integer of 1 or more/);
  });
});
