import { type Client, ServiceError } from '@temporalio/client';
import { PROBE_TIMEOUT_MS, WorkerLiveness } from '../../../src/services/worker-liveness';

/** A gRPC failure of a query as the client wraps it: `code` is gRPC's status (2 UNKNOWN, 14 UNAVAILABLE, …). */
function queryFailure(code: number, message = `status ${code}`): ServiceError {
  const cause = Object.assign(new Error(`${code} ${message}`), { code, details: message, metadata: {} });
  return new ServiceError('Failed to query Workflow', { cause });
}

/**
 * The probe against a client whose query answers, in turn, with each of `answers` (the last one repeats): an error
 * is thrown, anything else is the query's result. The probe workflow exists, so no start is made.
 */
function probeWith(answers: ReadonlyArray<Error | 'answered'>) {
  const queries: number[] = [];
  const client = {
    connection: { withDeadline: <T>(_deadline: number, call: () => Promise<T>) => call() },
    workflow: {
      getHandle: () => ({
        query: async () => {
          const answer = answers[Math.min(queries.length, answers.length - 1)]!;
          queries.push(Date.now());
          if (answer instanceof Error) throw answer;
          return {};
        },
      }),
    },
  } as unknown as Client;
  return { liveness: new WorkerLiveness(client, 'studio'), queries };
}

describe('WorkerLiveness, the worker probe behind /healthz and the 503 "no worker"', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  test('when the server answers one query with a failure that may pass (busy, not ready), then the probe asks again and the worker is alive', async () => {
    const { liveness, queries } = probeWith([queryFailure(2, 'context deadline exceeded'), queryFailure(9, 'Workflow is not ready'), 'answered']);
    const checking = liveness.check();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(await checking).toEqual({ alive: true });
    expect(queries).toHaveLength(3);
  });

  test('when every query fails that way until the deadline, then the answer is "no worker" within 5 s, naming the last answer', async () => {
    const { liveness, queries } = probeWith([queryFailure(2, 'context deadline exceeded')]);
    const checking = liveness.check();
    await jest.advanceTimersByTimeAsync(PROBE_TIMEOUT_MS + 500);
    const answer = await checking;
    expect(answer.alive).toBe(false);
    expect(answer.temporalUnavailable).toBeUndefined();
    expect(answer.detail).toBe("no worker is polling task queue 'studio': none answered within 5 s; the last answer: Failed to query Workflow: 2 context deadline exceeded");
    expect(queries.at(-1)! - queries[0]!).toBeLessThan(PROBE_TIMEOUT_MS);
  });

  test('when the query runs into its deadline, then the answer is "no worker" without a last answer', async () => {
    const { liveness } = probeWith([queryFailure(4, 'DEADLINE_EXCEEDED: Deadline exceeded')]);
    const checking = liveness.check();
    await jest.advanceTimersByTimeAsync(PROBE_TIMEOUT_MS);
    expect((await checking).detail).toBe("no worker is polling task queue 'studio': none answered within 5 s");
  });

  test.each([
    [14, true],
    [7, false],
  ])('when the query fails with gRPC status %i, then the probe answers at once (Temporal unavailable: %s)', async (code, unavailable) => {
    const { liveness, queries } = probeWith([queryFailure(code)]);
    const answer = await liveness.check();
    expect(queries).toEqual([1_000_000]);
    expect(answer).toEqual({ alive: false, temporalUnavailable: unavailable, detail: `the worker probe failed: Failed to query Workflow: ${code} status ${code}` });
  });
});
