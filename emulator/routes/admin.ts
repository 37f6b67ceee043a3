import express, { Router } from 'express';
import { adminState } from '../admin-state';
import { renderAdminPage } from '../admin-page';
import type { DeliveryLog } from '../delivery-log';
import { receiveText } from '../operations/inbound';
import { bodyParams } from '../params';
import type { RouteDeps } from '../route';
import { exampleRoutes } from './examples';

/** What the admin routes need beyond the Twilio routes' deps. */
export interface AdminDeps extends RouteDeps {
  readonly log: DeliveryLog;
  readonly reset: () => void;
}

/** The local-only `/_emulator` routes: state, HTML view, reset and faults. No auth: a local dev tool. */
export function adminRoutes({ accountSid, store, faults, dispatcher, log, reset }: AdminDeps): Router {
  const router = Router();
  router.use(express.json(), express.urlencoded({ extended: false }));
  router.get('/', (_req, res) => {
    res.type('html').send(renderAdminPage(store, log.all()));
  });
  router.get('/state', (_req, res) => {
    res.json(adminState(accountSid, store, log.all(), dispatcher.queueState()));
  });
  // A contact texts a number: routed as Twilio routes it (emulator/README.md, "A contact texting a number").
  router.post('/inbound', (req, res) => {
    res.status(201).json(receiveText(store, dispatcher, bodyParams(req)));
  });
  router.post('/reset', (_req, res) => {
    reset();
    res.status(204).end();
  });
  router.get('/faults', (_req, res) => {
    res.json({ faults: faults.list() });
  });
  router.post('/faults', (req, res) => {
    const body: unknown = req.body;
    res.status(201).json(faults.addFromJson(body));
  });
  router.delete('/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  router.use('/examples', exampleRoutes());
  return router;
}
