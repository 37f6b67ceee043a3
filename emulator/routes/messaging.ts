import { type Request, Router } from 'express';
import { requireOwnAccount as ownAccount } from '../account';
import { invalidParameter, resourceNotFound, TwilioError } from '../errors';
import { paginateLegacy } from '../paging';
import { bodyParams, many, one, type Params, pathParam, queryParams } from '../params';
import type { MessagingMessageRecord } from '../records';
import { messagingMessagePath, renderMessagingMessage } from '../resources/messaging-message';
import { created, ok, type RouteDeps, twilioRoute } from '../route';
import { newSid } from '../sids';
import { httpUrl, jsonText, optionalParam, sidOf } from '../validate';

/** Programmable Messaging (api.twilio.com, 2010-04-01): send, list and fetch. Mounted at `/2010-04-01/Accounts/:AccountSid`. */
export function messagingRoutes({ accountSid, store, faults }: RouteDeps): Router {
  const router = Router({ mergeParams: true });
  const requireOwnAccount = (req: Request) => ownAccount(accountSid, req);

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
    '/Messages.json',
    twilioRoute(faults, 'messaging.messages.list', (req) => {
      requireOwnAccount(req);
      const query = queryParams(req);
      const filters = LIST_FILTERS.flatMap((name) => (one(query, name) === undefined ? [] : [[name, one(query, name)!] as [string, string]]));
      const matches = messageFilter(query);
      // Newest first, as Twilio lists messages (by the date sent, most recent first).
      const messages = [...store.messagingMessages.values()].filter(matches).reverse();
      const url = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
      return ok(paginateLegacy(messages, query, { url, key: 'messages', filters }, (m) => renderMessagingMessage(accountSid, m)));
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
  // A Content template is the message's content: Twilio renders it, so no Body or MediaUrl is needed then.
  const contentSid = optionalParam(params, 'ContentSid', sidOf('HX'));
  if (body === undefined && mediaUrls.length === 0 && contentSid === null) throw new TwilioError(400, 21602, 'Message body is required.');
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
    direction: 'outbound-api',
    to,
    from,
    messagingServiceSid,
    body: body ?? '',
    mediaUrls,
    contentSid,
    contentVariables: optionalParam(params, 'ContentVariables', jsonText),
    statusCallback: optionalParam(params, 'StatusCallback', httpUrl),
    dateCreated: new Date(),
  };
}

/** The list filters Twilio documents for messages, carried into every page URI. */
const LIST_FILTERS = ['To', 'From', 'DateSent', 'DateSent<', 'DateSent>'] as const;

/**
 * `To` and `From` match exactly. `DateSent` takes a day (`2026-11-25`: that UTC day) or a second
 * (`2026-11-25T15:00:00Z`: that second); `DateSent<` and `DateSent>` (sent as `DateSent<=`, `DateSent>=` in the URL)
 * bound it, inclusively. The emulator sends nothing, so a message's date sent is its creation, to the second.
 */
function messageFilter(query: Params): (m: MessagingMessageRecord) => boolean {
  const to = one(query, 'To');
  const from = one(query, 'From');
  const on = dateFilter(query, 'DateSent');
  const before = dateFilter(query, 'DateSent<');
  const after = dateFilter(query, 'DateSent>');
  return (m) => {
    const sent = Math.floor(m.dateCreated.getTime() / 1000) * 1000;
    return (
      (to === undefined || m.to === to) &&
      (from === undefined || m.from === from) &&
      (!on || (sent >= on.start && sent <= on.end)) &&
      (!before || sent <= before.end) &&
      (!after || sent >= after.start)
    );
  };
}

/** A date filter as the first and last epoch ms it covers: a whole UTC day, or one second. */
function dateFilter(query: Params, name: string): { start: number; end: number } | undefined {
  const value = one(query, name);
  if (value === undefined) return undefined;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const start = day || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value) ? Date.parse(day ? `${value}T00:00:00Z` : value) : NaN;
  if (Number.isNaN(start)) throw invalidParameter(name, `'${value}' is not a date (YYYY-MM-DD) or a time (YYYY-MM-DDThh:mm:ssZ)`);
  return { start, end: start + (day ? 86_400_000 : 1_000) - 1 };
}
