import type { ErrorRequestHandler, RequestHandler, Response } from 'express';

/** A failure answered with Twilio's error body: `{ code, message, more_info, status }`. */
export class TwilioError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'TwilioError';
  }
}

/** 400 with Twilio's generic "Invalid parameter" code (20001), for rules Twilio documents no code for. */
export function invalidParameter(name: string, problem: string): TwilioError {
  return new TwilioError(400, 20001, `Invalid parameter ${name}: ${problem}`);
}

/** 404 with code 20404 and Twilio's wording, naming the missing resource's path. */
export function resourceNotFound(path: string): TwilioError {
  return new TwilioError(404, 20404, `The requested resource ${path} was not found`);
}

/** Writes Twilio's error body for `error`. */
export function sendTwilioError(res: Response, error: TwilioError): void {
  res.status(error.status).json({
    code: error.code,
    message: error.message,
    more_info: `https://www.twilio.com/docs/errors/${error.code}`,
    status: error.status,
  });
}

/** Any route nothing else answered: 404 / 20404, as Twilio answers unknown paths. */
export const unknownRoute: RequestHandler = (req, res) => {
  sendTwilioError(res, resourceNotFound(req.path));
};

/** Maps every thrown value to a Twilio error body; bad input never surfaces as a stack trace or a 500. */
export const twilioErrorHandler: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  if (res.headersSent) return next(err);
  if (err instanceof TwilioError) return sendTwilioError(res, err);
  if (isClientError(err)) return sendTwilioError(res, new TwilioError(400, 20001, 'Invalid request body'));
  console.error('emulator: unexpected error', err);
  sendTwilioError(res, new TwilioError(500, 20500, 'Internal Server Error'));
};

/** body-parser rejects malformed or oversized bodies with a 4xx `status`; those are the caller's fault. */
function isClientError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null || !('status' in err)) return false;
  return typeof err.status === 'number' && err.status >= 400 && err.status < 500;
}
