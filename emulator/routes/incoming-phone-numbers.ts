import { type Request, Router } from 'express';
import { requireOwnAccount } from '../account';
import { resourceNotFound } from '../errors';
import { createIncomingPhoneNumber, updateIncomingPhoneNumber } from '../operations/incoming-phone-numbers';
import { paginateLegacy } from '../paging';
import { bodyParams, one, type Params, pathParam, queryParams } from '../params';
import type { IncomingPhoneNumberRecord } from '../records';
import { incomingPhoneNumberPath, renderIncomingPhoneNumber } from '../resources/incoming-phone-number';
import { created, noContent, ok, type RouteDeps, twilioRoute } from '../route';

/** The list filters Twilio documents for numbers, carried into every page URI. */
const LIST_FILTERS = ['FriendlyName', 'PhoneNumber', 'Origin', 'Beta'] as const;

/**
 * IncomingPhoneNumbers (api.twilio.com, 2010-04-01): provision, list, fetch, update and release the numbers contacts
 * text (`/_emulator/inbound` posts a text to the number's `SmsUrl`). Mounted at `/2010-04-01/Accounts/:AccountSid`.
 */
export function incomingPhoneNumberRoutes({ accountSid, store, faults }: RouteDeps): Router {
  const router = Router({ mergeParams: true });
  const render = (n: IncomingPhoneNumberRecord) => renderIncomingPhoneNumber(accountSid, n);
  const resolve = (req: Request) => {
    requireOwnAccount(accountSid, req);
    const sid = pathParam(req, 'Sid');
    const number = store.incomingPhoneNumbers.get(sid);
    if (!number) throw resourceNotFound(`${incomingPhoneNumberPath(accountSid, sid)}.json`);
    return number;
  };

  router.post(
    '/IncomingPhoneNumbers.json',
    twilioRoute(faults, 'incoming-phone-numbers.create', (req) => {
      requireOwnAccount(accountSid, req);
      return created(render(createIncomingPhoneNumber(store, bodyParams(req))));
    }),
  );
  router.get(
    '/IncomingPhoneNumbers.json',
    twilioRoute(faults, 'incoming-phone-numbers.list', (req) => {
      requireOwnAccount(accountSid, req);
      const query = queryParams(req);
      const filters = LIST_FILTERS.flatMap((name) => {
        const value = one(query, name);
        return value === undefined ? [] : [[name, value] as [string, string]];
      });
      const numbers = [...store.incomingPhoneNumbers.values()].filter(numberFilter(query));
      const url = `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers.json`;
      return ok(paginateLegacy(numbers, query, { url, key: 'incoming_phone_numbers', filters }, render));
    }),
  );
  router.get(
    '/IncomingPhoneNumbers/:Sid.json',
    twilioRoute(faults, 'incoming-phone-numbers.fetch', (req) => ok(render(resolve(req)))),
  );
  router.post(
    '/IncomingPhoneNumbers/:Sid.json',
    twilioRoute(faults, 'incoming-phone-numbers.update', (req) => {
      const number = resolve(req);
      updateIncomingPhoneNumber(number, bodyParams(req));
      return ok(render(number));
    }),
  );
  router.delete(
    '/IncomingPhoneNumbers/:Sid.json',
    twilioRoute(faults, 'incoming-phone-numbers.delete', (req) => {
      store.incomingPhoneNumbers.delete(resolve(req).sid);
      return noContent;
    }),
  );
  return router;
}

/**
 * `PhoneNumber` matches part of a number, `*` standing for any one digit (`+1555*`, `5550100`), as Twilio documents;
 * `FriendlyName` matches exactly; every emulated number has origin `twilio` and is not beta.
 */
function numberFilter(query: Params): (n: IncomingPhoneNumberRecord) => boolean {
  const pattern = one(query, 'PhoneNumber');
  const digits = pattern === undefined ? null : new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, (ch) => (ch === '*' ? '\\d' : `\\${ch}`)));
  const friendlyName = one(query, 'FriendlyName');
  const origin = one(query, 'Origin');
  const beta = one(query, 'Beta');
  return (n) =>
    (digits === null || digits.test(n.phoneNumber)) &&
    (friendlyName === undefined || n.friendlyName === friendlyName) &&
    (origin === undefined || origin === 'twilio') &&
    (beta === undefined || beta === 'false');
}
