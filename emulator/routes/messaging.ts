import { type Request, Router } from 'express';
import { resourceNotFound, TwilioError } from '../errors';
import { bodyParams, many, one, type Params, pathParam } from '../params';
import type { MessagingMessageRecord } from '../records';
import { messagingMessagePath, renderMessagingMessage } from '../resources/messaging-message';
import { created, ok, type RouteDeps, twilioRoute } from '../route';
import { newSid } from '../sids';
import { httpUrl, optionalParam, sidOf } from '../validate';

/** Programmable Messaging (api.twilio.com, 2010-04-01): send and fetch. Mounted at `/2010-04-01/Accounts/:AccountSid`. */
export function messagingRoutes({ accountSid, store, faults }: RouteDeps): Router {
  const router = Router({ mergeParams: true });
  // Valid credentials asking under another account's SID get 404 / 20404 from Twilio ("The requested resource
  // /2010-04-01/Accounts/…/Messages.json was not found"), not 401: the caller is authenticated, the resource is
  // just not theirs to see.
  const requireOwnAccount = (req: Request) => {
    if (pathParam(req, 'AccountSid') !== accountSid) throw resourceNotFound(`${req.baseUrl}${req.path}`);
  };

  router.post(
    '/Messages.json',
    twilioRoute(faults, 'messaging.messages.create', (req) => {
      requireOwnAccount(req);
      const message = parseMessage(bodyParams(req));
      store.messagingMessages.set(message.sid, message);
      return created(renderMessagingMessage(accountSid, message));
    }),
  );
  router.get(
    '/Messages/:Sid.json',
    twilioRoute(faults, 'messaging.messages.fetch', (req) => {
      requireOwnAccount(req);
      const sid = pathParam(req, 'Sid');
      const message = store.messagingMessages.get(sid);
      if (!message) throw resourceNotFound(`${messagingMessagePath(accountSid, sid)}.json`);
      return ok(renderMessagingMessage(accountSid, message));
    }),
  );
  return router;
}

function parseMessage(params: Params): MessagingMessageRecord {
  const to = one(params, 'To');
  if (to === undefined) throw new TwilioError(400, 21604, "A 'To' phone number is required.");
  const body = one(params, 'Body');
  const mediaUrls = many(params, 'MediaUrl').map((url) => httpUrl(url, 'MediaUrl'));
  if (body === undefined && mediaUrls.length === 0) throw new TwilioError(400, 21602, 'Message body is required.');
  if (body !== undefined && body.length > 1600) {
    throw new TwilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
  }
  const from = one(params, 'From') ?? null;
  const messagingServiceSid = optionalParam(params, 'MessagingServiceSid', sidOf('MG'));
  if (from === null && messagingServiceSid === null) {
    throw new TwilioError(400, 21603, "A 'From' phone number or a MessagingServiceSid is required.");
  }
  return {
    sid: newSid('SM'),
    to,
    from,
    messagingServiceSid,
    body: body ?? '',
    mediaUrls,
    statusCallback: optionalParam(params, 'StatusCallback', httpUrl),
    dateCreated: new Date(),
  };
}
