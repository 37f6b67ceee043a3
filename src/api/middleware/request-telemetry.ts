import type { MetricMeter } from '@temporalio/common';
import type { RequestHandler } from 'express';
import type { Logger } from '../../logger';
import { sidSource } from '../../flow/sids';
import { API_REQUEST_DURATION, API_REQUESTS } from '../../telemetry';

/** Any Twilio-style SID as a path segment (FW…, FN…, FT…, CH…), its prefix captured. */
const SID_SEGMENT = new RegExp(`/${sidSource('([A-Z]{2})')}(?=/|$)`, 'g');
const EXECUTION_SID = new RegExp(`\\b${sidSource('FN')}\\b`);
const FLOW_SID = new RegExp(`\\b${sidSource('FW')}\\b`);

/**
 * The route a path belongs to, for metric labels: SIDs and revision numbers become placeholders, so one label value
 * stands for every flow and execution (`/v2/Flows/{FW}/Executions/{FN}/Steps`). Paths no route serves share one.
 */
export function routeLabel(path: string, matched: boolean): string {
  if (!matched) return 'unmatched';
  return path.replace(SID_SEGMENT, '/{$1}').replace(/\/\d+(?=\/|$)/g, '/{n}');
}

/** The execution and flow SIDs a request path names, as log fields (`executionSid`, `flowSid`). */
export function sidsIn(path: string): { executionSid?: string; flowSid?: string } {
  const executionSid = EXECUTION_SID.exec(path)?.[0];
  const flowSid = FLOW_SID.exec(path)?.[0];
  return { ...(executionSid ? { executionSid } : {}), ...(flowSid ? { flowSid } : {}) };
}

/** Set by the not-found handler, so a path no route serves is labelled `unmatched` (bounded label values). */
export const UNMATCHED = 'studioUnmatchedRoute';

/**
 * One JSON log line and two metrics per request, when its answer is sent: `studio_api_requests` (method, route,
 * status) and `studio_api_request_duration` (seconds). The log line carries the execution and flow SIDs the path
 * names.
 */
export function requestTelemetry(logger: Logger, meter: MetricMeter): RequestHandler {
  const requests = meter.createCounter(API_REQUESTS, 'requests', 'API requests answered, by method, route and status');
  const duration = meter.createHistogram(API_REQUEST_DURATION, 'float', 's', 'Time to answer an API request');
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabel(req.path, res.locals[UNMATCHED] !== true);
      const status = String(res.statusCode);
      requests.add(1, { method: req.method, route, status });
      duration.record(seconds, { method: req.method, route });
      const fields = { method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000), ...sidsIn(req.path) };
      // Probes poll /healthz every few seconds (its answer says what is down): their lines are debug, so they do not
      // drown the rest.
      if (route === '/healthz') logger.debug('request', fields);
      else logger.info('request', fields);
    });
    next();
  };
}
