import { AsyncLocalStorage } from 'node:async_hooks';
import type { Client } from '@temporalio/client';

/** The deadline (epoch ms) of the request being served, for the Temporal calls made on its behalf. */
const requestDeadline = new AsyncLocalStorage<number>();

/**
 * Runs `work` under `deadline` (epoch ms): every Temporal call it makes through `client` fails with
 * DEADLINE_EXCEEDED once it passes, and the calls that set deadlines of their own ({@link deadlineIn}) keep within it.
 * For a webhook Twilio stops waiting for (15 s for Messaging, 5 s for Conversations).
 */
export function withRequestDeadline<T>(client: Client, deadline: number, work: () => Promise<T>): Promise<T> {
  return requestDeadline.run(deadline, () => client.connection.withDeadline(deadline, work));
}

/** `ms` from now (epoch ms), or the deadline of the request being served when that comes first. */
export function deadlineIn(ms: number): number {
  return Math.min(Date.now() + ms, requestDeadline.getStore() ?? Infinity);
}
