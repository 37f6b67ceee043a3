import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createInTwilio, earliestCreate, findLostCreate, refuseAfterUnknownOutcome, type TwilioCallState, waitOutLostCreates } from '../../../src/activities/twilio/twilio-calls';
import { TWILIO_REQUEST_TIMEOUT_MS } from '../../../src/workflows/contracts/twilio-timeouts';

/** An activity environment for attempt `attempt`, recording every heartbeat's details. */
function attemptEnv(attempt = 1, heartbeatDetails?: TwilioCallState) {
  const env = new MockActivityEnvironment({ attempt, heartbeatDetails, heartbeatTimeoutMs: 5_000 });
  const heartbeats: TwilioCallState[] = [];
  env.on('heartbeat', (details: TwilioCallState) => heartbeats.push(details));
  return { env, heartbeats };
}

/** A call that stays in flight until the test settles it. */
function pendingCall<T>() {
  let settle!: { resolve: (value: T) => void; reject: (err: unknown) => void };
  const promise = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
  return { call: () => promise, ...settle };
}

describe('Twilio calls from activities', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  test('when a create is in flight for 10 s, then the attempt heartbeats all along with its send time, and clears it once answered', async () => {
    const { env, heartbeats } = attemptEnv();
    const pending = pendingCall<string>();
    const result = env.run(() => createInTwilio(pending.call));
    await jest.advanceTimersByTimeAsync(10_000);
    const inFlight = heartbeats.length;
    expect(inFlight).toBeGreaterThanOrEqual(10); // more than one per heartbeat timeout (5 s), at every second
    expect(heartbeats.every((h) => h.createSentAt === 1_000_000)).toBe(true);
    pending.resolve('made');
    expect(await result).toBe('made');
    expect(heartbeats.at(-1)).toEqual({ outcomeUnknown: undefined, firstSentAt: 1_000_000 }); // the first send is kept
    await jest.advanceTimersByTimeAsync(5_000);
    expect(heartbeats).toHaveLength(inFlight + 1); // no heartbeat after the call is over
  });

  test.each([
    [500, true],
    [429, false],
    [400, false],
  ])('when Twilio answers a create with %i, then the outcome is unknown: %s', async (status, unknown) => {
    const { env, heartbeats } = attemptEnv();
    const failure = Object.assign(new Error('answer'), { status });
    await expect(env.run(() => createInTwilio(() => Promise.reject(failure)))).rejects.toBe(failure);
    expect(heartbeats.at(-1)).toEqual({ outcomeUnknown: unknown, firstSentAt: 1_000_000 });
  });

  test('when a create ends with no answer at all (a timeout, a dropped connection), then its outcome is unknown', async () => {
    const { env, heartbeats } = attemptEnv();
    await expect(env.run(() => createInTwilio(() => Promise.reject(new Error('socket hang up'))))).rejects.toThrow('socket hang up');
    expect(heartbeats.at(-1)).toEqual({ outcomeUnknown: true, firstSentAt: 1_000_000 });
  });

  test('when a retry follows a worker lost mid-create, then it waits until that create can no longer commit, heartbeating', async () => {
    const sentAt = Date.now() - TWILIO_REQUEST_TIMEOUT_MS + 3_000;
    const { env, heartbeats } = attemptEnv(2, { createSentAt: sentAt });
    let waited = false;
    const waiting = env.run(() => waitOutLostCreates()).then(() => (waited = true));
    await jest.advanceTimersByTimeAsync(2_900);
    expect(waited).toBe(false);
    expect(heartbeats.length).toBeGreaterThanOrEqual(2);
    await jest.advanceTimersByTimeAsync(200);
    await waiting;
    expect(heartbeats.at(-1)).toEqual({ outcomeUnknown: true });
  });

  test('when the lost create was sent longer ago than the request timeout, then the retry looks at once', async () => {
    const { env } = attemptEnv(2, { createSentAt: Date.now() - TWILIO_REQUEST_TIMEOUT_MS - 1 });
    await expect(env.run(() => waitOutLostCreates())).resolves.toBeUndefined();
  });

  test('when a retry follows a worker lost mid-create and what it made is already there, then the retry takes it at once, without waiting', async () => {
    const { env } = attemptEnv(2, { createSentAt: Date.now() - 6_000 });
    const lookups: number[] = [];
    const found = env.run(() => findLostCreate(async () => (lookups.push(Date.now()), 'the prompt')));
    await jest.advanceTimersByTimeAsync(0);
    expect(await found).toBe('the prompt');
    expect(lookups).toEqual([1_000_000]);
  });

  test('when nothing is there yet, then the retry waits until the lost create can no longer commit and looks again', async () => {
    const sentAt = Date.now() - TWILIO_REQUEST_TIMEOUT_MS + 3_000;
    const { env, heartbeats } = attemptEnv(2, { createSentAt: sentAt });
    const lookups: number[] = [];
    const found = env.run(() => findLostCreate(async () => (lookups.push(Date.now()), lookups.length === 2 ? 'committed late' : undefined)));
    await jest.advanceTimersByTimeAsync(2_900);
    expect(lookups).toEqual([1_000_000]);
    await jest.advanceTimersByTimeAsync(200);
    expect(await found).toBe('committed late');
    expect(lookups).toEqual([1_000_000, sentAt + TWILIO_REQUEST_TIMEOUT_MS]);
    expect(heartbeats.at(-1)).toEqual({ outcomeUnknown: true });
  });

  test('when no create of an earlier attempt was in flight and nothing is there, then the retry looks once and may create', async () => {
    const { env } = attemptEnv(2, { outcomeUnknown: true, firstSentAt: 990_000 });
    let lookups = 0;
    await expect(env.run(() => findLostCreate(async () => void (lookups += 1)))).resolves.toBeUndefined();
    expect(lookups).toBe(1);
  });

  test('when a retry sends its create again, then the first attempt\'s send time is kept, and what was made is looked for from that second on', async () => {
    const { env, heartbeats } = attemptEnv(2, { outcomeUnknown: true, firstSentAt: 987_654 });
    await env.run(() => createInTwilio(() => Promise.resolve('made')));
    expect(heartbeats.every((h) => h.firstSentAt === 987_654)).toBe(true);
    expect(await env.run(async () => earliestCreate())).toEqual(new Date(987_000)); // Twilio's date_created has whole seconds
  });

  test('when no attempt reported a send, then what was made is looked for from the second the activity was first scheduled', async () => {
    const env = new MockActivityEnvironment({ attempt: 2, scheduledTimestampMs: 1_234_567 });
    expect(await env.run(async () => earliestCreate())).toEqual(new Date(1_234_000));
  });

  test('when a create that cannot be looked up may have committed, then the retry refuses for good; after a clear refusal it goes on', async () => {
    const unknown = attemptEnv(2, { outcomeUnknown: true }).env.run(() => refuseAfterUnknownOutcome('The Flex interaction'));
    await expect(unknown).rejects.toBeInstanceOf(ApplicationFailure);
    await expect(unknown).rejects.toMatchObject({ nonRetryable: true, type: 'TwilioRequestRejected' });
    await expect(attemptEnv(2, { outcomeUnknown: false }).env.run(() => refuseAfterUnknownOutcome('The Flex interaction'))).resolves.toBeUndefined();
  });
});
