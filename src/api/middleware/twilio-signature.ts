import type { Request } from 'express';
import { validateRequest } from 'twilio';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import { ApiError, badRequest } from '../api-error';
import { type Form, formOf } from '../form';
import { sidsIn } from './request-telemetry';

/**
 * Checks Twilio's `X-Twilio-Signature` of a webhook against the public URL it was sent to (PUBLIC_BASE_URL plus the
 * path and query, as Twilio signs it) with twilio's own validator. Returns the form parameters; throws 400 when the
 * header is missing and 403 (code 20003) when it does not match.
 */
export function checkTwilioSignature(req: Request, config: Config, logger: Logger): Form {
  const signature = req.header('X-Twilio-Signature');
  if (!signature) throw badRequest('Missing the X-Twilio-Signature header');
  const params = formOf(req);
  if (!validateRequest(config.twilio.authToken, signature, `${config.publicBaseUrl}${req.originalUrl}`, params)) {
    logger.warn('webhook signature does not match', { path: req.path, ...sidsIn(req.path) });
    throw new ApiError(403, 20003, 'The X-Twilio-Signature does not match this request');
  }
  return params;
}
