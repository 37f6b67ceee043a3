import type { Request, RequestHandler, Response } from 'express';
import { sendTwilioError, TwilioError } from './errors';
import type { FaultRegistry, FaultStatus, RouteName } from './faults';
import type { Store } from './store';
import type { WebhookDispatcher } from './webhook-dispatcher';

/** What every route factory needs. */
export interface RouteDeps {
  readonly accountSid: string;
  readonly store: Store;
  readonly faults: FaultRegistry;
  readonly dispatcher: WebhookDispatcher;
}

/** What a route handler answers; the wrapper writes it, or replaces it when a fault fires. */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
}

export type Handler = (req: Request) => Reply | Promise<Reply>;

/** 200 with `body`. */
export const ok = (body: unknown): Reply => ({ status: 200, body });
/** 201 with `body`. */
export const created = (body: unknown): Reply => ({ status: 201, body });
/** 204 with no body. */
export const noContent: Reply = { status: 204 };

/** An express handler for Twilio route `name`: runs `handler` unless a fault armed for `name` fires first. */
export function twilioRoute(faults: FaultRegistry, name: RouteName, handler: Handler): RequestHandler {
  return async (req, res) => {
    faults.requested(name);
    const fault = faults.take(name, requestText(req));
    if (fault?.kind === 'status') return sendTwilioError(res, faultError(fault.status));
    // A hang never answers: the caller's timeout, or closing the emulator, ends the connection.
    if (fault?.kind === 'hang') return;
    // A slow Twilio: the call is handled normally, only later (what happens meanwhile is the point of the test).
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    try {
      const reply = await handler(req);
      if (fault?.kind !== 'commit-then-fail') {
        send(res, reply);
        if (reply.status < 300) faults.replied(name);
        return;
      }
      if (fault.after === 'drop') req.socket.destroy();
      else sendTwilioError(res, faultError(500));
    } finally {
      if (fault) faults.finished(fault.id);
    }
  };
}

/** What a fault's `match` is looked for in: the decoded path and query, and the parsed body. */
function requestText(req: Request): string {
  let target = req.originalUrl;
  try {
    target = decodeURIComponent(target);
  } catch {
    // A malformed escape: match against the raw text instead.
  }
  return `${target} ${JSON.stringify(req.body ?? {})}`;
}

function faultError(status: FaultStatus): TwilioError {
  if (status === 400) return new TwilioError(400, 20001, 'Invalid parameter (refused by an emulator fault)');
  return status === 429 ? new TwilioError(429, 20429, 'Too Many Requests') : new TwilioError(500, 20500, 'Internal Server Error');
}

function send(res: Response, reply: Reply): void {
  if (reply.body === undefined) res.status(reply.status).end();
  else res.status(reply.status).json(reply.body);
}
