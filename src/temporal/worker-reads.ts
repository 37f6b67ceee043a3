import type { Client } from '@temporalio/client';
import { WorkerUnavailableError } from './errors';

/** Queries are answered by a worker; the API waits this long for one before answering 503. */
export const QUERY_TIMEOUT_MS = 10_000;

/** gRPC's DEADLINE_EXCEEDED, as the client reports it (directly or as the cause of a ServiceError). */
const DEADLINE_EXCEEDED = 4;

/** Runs a worker-answered read (a query) under a deadline, turning "nobody answered" into a clear error. */
export async function readWithin<T>(client: Client, what: string, read: () => Promise<T>, timeoutMs = QUERY_TIMEOUT_MS): Promise<T> {
  try {
    return await client.connection.withDeadline(Date.now() + timeoutMs, read);
  } catch (err) {
    if (isDeadlineExceeded(err)) throw new WorkerUnavailableError(what);
    throw err;
  }
}

function isDeadlineExceeded(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === DEADLINE_EXCEEDED) return true;
  }
  return false;
}
