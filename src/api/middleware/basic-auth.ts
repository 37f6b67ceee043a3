import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from '../errors';

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
    next(new ApiError(401, 20003, 'Authenticate'));
  };
}
