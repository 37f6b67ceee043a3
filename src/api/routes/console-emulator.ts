import express, { Router } from 'express';
import { notFound } from '../api-error';
import { FORM_BODY_LIMIT_BYTES } from '../middleware/form-body';

/**
 * The emulator's documented endpoints the console's phone uses (emulator/README.md): a conversation's messages (read,
 * and written as the participant), Programmable Messaging's sent messages, and a contact texting a number. Nothing
 * else passes, so the pass-through is no general proxy.
 */
const ALLOWED: ReadonlyArray<{ readonly method: string; readonly path: RegExp }> = [
  { method: 'GET', path: /^\/v1\/Conversations\/CH[0-9a-f]{32}\/Messages$/ },
  { method: 'POST', path: /^\/v1\/Conversations\/CH[0-9a-f]{32}\/Messages$/ },
  { method: 'GET', path: /^\/v1\/Conversations\/CH[0-9a-f]{32}$/ },
  { method: 'GET', path: /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\.json$/ },
  { method: 'POST', path: /^\/_emulator\/inbound$/ },
];

/** Request headers that mean something to the emulator; the rest (cookies, the browser's own) stay here. */
const FORWARDED_HEADERS = ['authorization', 'content-type', 'x-twilio-webhook-enabled'];

/**
 * /console/emulator/* → the emulator at `emulatorUrl`, as is. The browser holds the API's Basic credentials for the
 * API's origin only (the emulator listens on another port), so the phone reaches the emulator through here; the
 * credentials it forwards were checked by the API's Basic auth and are the emulator's too (npm start shares them).
 */
export function consoleEmulatorRoutes(emulatorUrl: string): Router {
  const router = Router();
  router.use(express.raw({ type: () => true, limit: FORM_BODY_LIMIT_BYTES }));
  router.use(async (req, res, next) => {
    if (!ALLOWED.some((route) => route.method === req.method && route.path.test(req.path))) return next(notFound(req.originalUrl));
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    const body = Buffer.isBuffer(req.body) && req.body.length > 0 ? req.body : undefined;
    const answer = await fetch(`${emulatorUrl}${req.path}${query}`, { method: req.method, headers, body, signal: AbortSignal.timeout(10_000) });
    res.status(answer.status);
    const type = answer.headers.get('content-type');
    if (type) res.type(type);
    res.send(Buffer.from(await answer.arrayBuffer()));
  });
  return router;
}
