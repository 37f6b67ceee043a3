import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from '../api-error';

/**
 * What a 401 says: Twilio's "Authenticate", then which credentials this API takes, by the settings that hold them
 * (never their values: the caller is not authenticated).
 */
export const AUTHENTICATE_MESSAGE =
  'Authenticate: send HTTP Basic auth with the account SID as user name and the auth token as password, the ones this API was started with (settings TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN; npm start prints the local ones)';

/**
 * HTTP Basic auth with the account SID and auth token, as Twilio's REST API does; anything else is 401 with
 * code 20003 and a `WWW-Authenticate` challenge so curl and browsers know to send credentials.
 */
export function basicAuth(accountSid: string, authToken: string): RequestHandler {
  const expected = Buffer.from(`${accountSid}:${authToken}`);
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Basic\s+(.+)$/i.exec(header);
    const given = match?.[1] ? Buffer.from(match[1], 'base64') : Buffer.alloc(0);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="Twilio API"');
    next(new ApiError(401, 20003, AUTHENTICATE_MESSAGE));
  };
}
