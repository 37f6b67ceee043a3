import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { TemporalConfig } from '../config';

/**
 * A client whose connection opens on first use, so the API can start (and report 503 from /healthz) while the
 * Temporal server is still coming up or is down.
 */
export function createLazyClient(temporal: TemporalConfig): Client {
  const { address, tls, apiKey, metadata } = temporal.connectionOptions;
  const connection = Connection.lazy({ address, tls, apiKey, metadata });
  return new Client({ connection, namespace: temporal.namespace });
}

/** The worker's connection; it fails fast when the server cannot be reached. */
export function connectWorker(temporal: TemporalConfig): Promise<NativeConnection> {
  return NativeConnection.connect(temporal.connectionOptions);
}
