import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { TemporalConfig } from '../config';
import { deadlineAwareRetryInterceptor } from './deadline-retry';

/**
 * A client whose connection opens on first use, so the API can start (and report 503 from /healthz) while the
 * Temporal server is still coming up or is down. Its retries end by each call's deadline (see deadline-retry.ts),
 * so a route that gives Temporal 4 s answers within 4 s even while the server is down; with `retryBudgetMs`, a call
 * without a deadline stops retrying after that long (the API's, {@link API_RETRY_BUDGET_MS}).
 */
/**
 * How long the API's calls without a deadline retry an unreachable Temporal server: a REST client gets a 503
 * ("Temporal did not answer") in seconds during an outage, instead of a 500 after the SDK's ~20 s of retries.
 */
export const API_RETRY_BUDGET_MS = 4_000;

export function createLazyClient(temporal: TemporalConfig, options: { retryBudgetMs?: number } = {}): Client {
  const { address, tls, apiKey, metadata } = temporal.connectionOptions;
  const connection = Connection.lazy({ address, tls, apiKey, metadata, interceptors: [deadlineAwareRetryInterceptor(undefined, options.retryBudgetMs)] });
  return new Client({ connection, namespace: temporal.namespace });
}

/** The worker's connection; it fails fast when the server cannot be reached. */
export function connectWorker(temporal: TemporalConfig): Promise<NativeConnection> {
  return NativeConnection.connect(temporal.connectionOptions);
}
