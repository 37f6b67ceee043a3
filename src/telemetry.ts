import type { LogMetadata } from '@temporalio/common';
import { DefaultLogger, type LogEntry, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import type { Logger, LogLevel } from './logger';

export interface TelemetryOptions {
  /** Serve Prometheus metrics on this port (`GET /metrics`, all interfaces); unset means no metrics endpoint. */
  readonly metricsPort?: number;
  readonly logLevel: LogLevel;
  /**
   * The worker leaves SIGINT/SIGTERM to the runtime, which drains every worker on them; the API handles them itself
   * (it has no worker to drain, and must finish its requests in flight first).
   */
  readonly handleSignals: boolean;
}

const SDK_LEVEL = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' } as const;

/** API request durations in seconds: from a cached read to a slow Temporal round trip. */
const REQUEST_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Installs the process's Temporal runtime (once, before any worker or native connection): the SDK's and the Rust
 * core's logs go through `logger` as JSON lines, and with a metrics port the runtime serves Prometheus metrics:
 * Temporal's own (`temporal_*`: workflow and activity tasks, polls, latencies, sticky cache) and the product's
 * (`studio_*`, recorded through the runtime's metric meter).
 */
export function installRuntime(options: TelemetryOptions, logger: Logger): Runtime {
  try {
    return install(options, logger);
  } catch (err) {
    if (options.metricsPort === undefined) throw err;
    throw new Error(`METRICS_PORT ${options.metricsPort}: cannot serve metrics (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}

function install(options: TelemetryOptions, logger: Logger): Runtime {
  const level = SDK_LEVEL[options.logLevel];
  return Runtime.install({
    shutdownSignals: options.handleSignals ? undefined : [],
    logger: new DefaultLogger(level, (entry) => logSdkEntry(logger, entry)),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: level === 'TRACE' || level === 'DEBUG' ? level : 'WARN', other: 'ERROR' }) },
      metrics:
        options.metricsPort === undefined
          ? undefined
          : {
              prometheus: {
                bindAddress: `0.0.0.0:${options.metricsPort}`,
                useSecondsForDurations: true,
                histogramBucketOverrides: { [API_REQUEST_DURATION]: REQUEST_DURATION_BUCKETS },
              },
            },
    },
  });
}

/** Names of the API's request metrics (the histogram's buckets are set above). */
export const API_REQUESTS = 'studio_api_requests';
export const API_REQUEST_DURATION = 'studio_api_request_duration';

/**
 * An SDK log line as ours. Workflow and activity lines name their workflow; an execution's workflow ID is its SID
 * (a subflow's is `<root FN>/<step FT>`), a flow's is its flow SID, so every line about one carries `executionSid`
 * or `flowSid`.
 */
export function logSdkEntry(logger: Logger, entry: LogEntry): void {
  const { sdkComponent, ...meta } = (entry.meta ?? {}) as LogMetadata & { sdkComponent?: string };
  const fields: Record<string, unknown> = { ...meta, sdk: sdkComponent ?? 'worker' };
  const workflowId = typeof meta.workflowId === 'string' ? meta.workflowId : undefined;
  if (workflowId?.startsWith('FN')) fields.executionSid = workflowId.split('/')[0];
  else if (workflowId?.startsWith('FW')) fields.flowSid = workflowId.split('/')[0];
  const level = entry.level.toLowerCase() as LogLevel;
  logger[level](entry.message, fields);
}
