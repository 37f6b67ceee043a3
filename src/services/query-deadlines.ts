import type { Client } from '@temporalio/client';
import { WorkerUnavailableError } from './store-errors';
import { deadlineIn } from './request-deadline';
import { isDeadlineExceeded, type WorkerLiveness } from './worker-liveness';

/** Queries are answered by a worker; the API waits this long for one before answering 503. */
export const QUERY_TIMEOUT_MS = 10_000;

/**
 * Runs a worker-answered read (a query) under a deadline, turning "nobody answered" into WorkerUnavailableError (the
 * API's 503). With `liveness`, a read is not even tried while the probe knows no worker runs, so it fails in at most
 * the probe's PROBE_TIMEOUT_MS (5 s) instead of the read's deadline. Within a request's deadline (withRequestDeadline)
 * the read gets no longer than what is left of it.
 */
export async function readWithin<T>(client: Client, what: string, read: () => Promise<T>, liveness?: WorkerLiveness, timeoutMs = QUERY_TIMEOUT_MS): Promise<T> {
  await liveness?.assertAlive(what);
  try {
    return await client.connection.withDeadline(deadlineIn(timeoutMs), read);
  } catch (err) {
    if (isDeadlineExceeded(err)) throw new WorkerUnavailableError(what);
    throw err;
  }
}
