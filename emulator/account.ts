import type { Request } from 'express';
import { resourceNotFound } from './errors';
import { pathParam } from './params';

/**
 * Refuses a 2010-04-01 request under another account's SID. Valid credentials asking under another account get
 * 404 / 20404 from Twilio ("The requested resource /2010-04-01/Accounts/…/Messages.json was not found"), not 401: the
 * caller is authenticated, the resource is just not theirs to see.
 */
export function requireOwnAccount(accountSid: string, req: Request): void {
  if (pathParam(req, 'AccountSid') !== accountSid) throw resourceNotFound(`${req.baseUrl}${req.path}`);
}
