import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendTwilioError, TwilioError } from './errors';

/** HTTP Basic auth with the account SID and auth token, answered like Twilio: 401 / 20003 "Authenticate". */
export function twilioBasicAuth(accountSid: string, authToken: string): RequestHandler {
  const expected = Buffer.from(`Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`);
  return (req, res, next) => {
    const given = Buffer.from(req.get('authorization') ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res.set('WWW-Authenticate', 'Basic realm="Twilio API"');
    sendTwilioError(res, new TwilioError(401, 20003, 'Authenticate'));
  };
}
