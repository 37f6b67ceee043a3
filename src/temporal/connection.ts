import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { TemporalConfig } from '../config';
import { deadlineAwareRetryInterceptor } from './deadline-retry';

/**
 * A client whose connection opens on first use, so the API can start (and report 503 from /healthz) while the
 * Temporal server is still coming up or is down. Its retries end by each call's deadline (see deadline-retry.ts),
 * so a route that gives Temporal 4 s answers within 4 s even while the server is down.
 */
export function createLazyClient(temporal: TemporalConfig): Client {
  const { address, tls, apiKey, metadata } = temporal.connectionOptions;
  const connection = Connection.lazy({ address, tls, apiKey, metadata, interceptors: [deadlineAwareRetryInterceptor()] });
  return new Client({ connection, namespace: temporal.namespace });
}

/** The worker's connection; it fails fast when the server cannot be reached. */
export function connectWorker(temporal: TemporalConfig): Promise<NativeConnection> {
  return NativeConnection.connect(temporal.connectionOptions);
}
