import { Router } from 'express';
import { invalidParameter } from '../errors';
import { bodyParams, one, pathParam } from '../params';
import { renderService } from '../resources/service';
import { created, ok, type RouteDeps, twilioRoute } from '../route';
import { requireService } from '../scope';
import { maxLength } from '../validate';

/** `POST /v1/Services` and `GET /v1/Services/{Sid}`, so tests can use a service other than the default. */
export function serviceRoutes({ accountSid, store, faults }: RouteDeps): Router {
  const router = Router();
  router.post(
    '/',
    twilioRoute(faults, 'services.create', (req) => {
      const friendlyName = one(bodyParams(req), 'FriendlyName');
      if (friendlyName === undefined) throw invalidParameter('FriendlyName', 'is required');
      return created(renderService(accountSid, store.addService(maxLength(256)(friendlyName, 'FriendlyName'))));
    }),
  );
  router.get(
    '/:Sid',
    twilioRoute(faults, 'services.fetch', (req) =>
      ok(renderService(accountSid, requireService(store, pathParam(req, 'Sid')))),
    ),
  );
  return router;
}
