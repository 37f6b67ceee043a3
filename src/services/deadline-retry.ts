import { type ConnectionOptions, defaultGrpcRetryOptions, type GrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

type Interceptor = NonNullable<ConnectionOptions['interceptors']>[number];

/**
 * The SDK's gRPC retry (UNAVAILABLE and the like, backing off 170 ms × 1.7ⁿ with ±20 % jitter) that gives up instead
 * of sleeping past the call's deadline. The SDK's own interceptor sleeps without looking at the deadline: with the
 * server down, a call given 4 s (`connection.withDeadline`) failed only after 5.6–6.1 s, when the attempt after the
 * last sleep found its deadline long gone. Here a retry whose backoff would end after the deadline is not made, so
 * the call fails with the server's own status (UNAVAILABLE) before its deadline; calls without one retry as before,
 * or for `retryBudgetMs` (milliseconds) when it is given (the API: a REST call must not hang through an outage).
 */
export function deadlineAwareRetryInterceptor(base: GrpcRetryOptions = defaultGrpcRetryOptions(), retryBudgetMs?: number): Interceptor {
  return (options, nextCall) => {
    // A call without a deadline retries until `retryBudgetMs` after it started (when given), not for ~20 s.
    const deadline = deadlineMs(options.deadline) ?? (retryBudgetMs === undefined ? undefined : Date.now() + retryBudgetMs);
    let nextDelay = 0;
    const bounded: GrpcRetryOptions = {
      retryableDecider(attempt, status) {
        if (!base.retryableDecider(attempt, status)) return false;
        nextDelay = base.delayFunction(attempt, status);
        return deadline === undefined || Date.now() + nextDelay < deadline;
      },
      delayFunction: () => nextDelay,
    };
    return makeGrpcRetryInterceptor(bounded)(options, nextCall);
  };
}

/** gRPC's deadline (a Date or epoch milliseconds; Infinity means none) in epoch milliseconds. */
function deadlineMs(deadline: Date | number | undefined): number | undefined {
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  return ms === undefined || !Number.isFinite(ms) ? undefined : ms;
}
