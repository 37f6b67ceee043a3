import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../../logger';
import {
  ExecutionConflictError,
  ExecutionEndedError,
  ExecutionNotFoundError,
  ExecutionStuckError,
  FlowNotFoundError,
  FlowRejectedError,
  NoPublishedRevisionError,
  StepNotFoundError,
  WorkerUnavailableError,
} from '../../services/store-errors';
import { isTemporalUnavailable } from '../../services/reply-delivery';
import { ApiError, badRequest, notFound, toTwilioErrorBody } from '../errors';
import { invalidDefinition } from '../flow-params';
import { sidsIn, UNMATCHED } from './request-telemetry';

/** Unknown paths answer like Twilio's: 404 with code 20404. */
export const notFoundHandler: RequestHandler = (req, res, next) => {
  res.locals[UNMATCHED] = true;
  next(notFound(req.path));
};

/**
 * Turns anything thrown into Twilio's error body. Body-parser failures are the client's fault (4xx, no log line);
 * an answer the API chose on purpose (501 for what it does not serve, 503 when no worker answers) is logged as a
 * warning without a stack; anything unexpected is logged with its stack and answered 500 without one.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const apiError = toApiError(err);
    const fields = { method: req.method, path: req.path, ...sidsIn(req.path), status: apiError.status };
    if (apiError.status >= 500 && apiError.status !== 500) logger.warn('request not served', { ...fields, reason: apiError.message });
    else if (apiError.status >= 500) logger.error('request failed', { ...fields, error: describe(err) });
    res.status(apiError.status).json(toTwilioErrorBody(apiError));
  };
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof FlowNotFoundError) return notFound(`/Flows/${err.sid}`);
  if (err instanceof FlowRejectedError) return err.issues ? invalidDefinition(err.issues) : badRequest(err.message);
  if (err instanceof ExecutionNotFoundError) return notFound(`/Flows/${err.flowSid}/Executions/${err.sid}`);
  if (err instanceof StepNotFoundError) return notFound(`/Executions/${err.executionSid}/Steps/${err.stepSid}`);
  if (err instanceof ExecutionConflictError) return new ApiError(409, 20409, err.message, { active_execution_sid: err.activeSid ?? null });
  if (err instanceof NoPublishedRevisionError || err instanceof ExecutionEndedError) return badRequest(err.message);
  if (err instanceof WorkerUnavailableError || err instanceof ExecutionStuckError) return new ApiError(503, 20503, err.message);
  // The Temporal server did not answer (down, restarting): a clear 503 the caller may retry, not a 500.
  if (isTemporalUnavailable(err)) return new ApiError(503, 20503, 'Temporal did not answer; it may be restarting: try again shortly (GET /healthz)');
  if (isHttpError(err) && err.type === 'entity.too.large') {
    return new ApiError(413, 20001, `The request body is larger than this URL takes: at most ${err.limit} bytes`);
  }
  if (isHttpError(err) && err.status >= 400 && err.status < 500) {
    return new ApiError(err.status, 20001, `Malformed request: ${err.message}`);
  }
  return new ApiError(500, 20500, 'Internal Server Error');
}

/** What body-parser throws (http-errors): a status, and a `type` such as `entity.too.large` with its `limit`. */
function isHttpError(err: unknown): err is { status: number; message: string; type?: string; limit?: number; length?: number } {
  return typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number';
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `; caused by ${describe(err.cause)}` : '';
  return `${err.stack ?? err.message}${cause}`;
}
