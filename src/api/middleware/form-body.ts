import express, { type Express } from 'express';

/**
 * Body caps, so nothing a client sends reaches Temporal over its 2 MB payload limit. A flow's Definition may be up
 * to 1,000,000 characters (flow-params), which form encoding can triple; every other request (execution creates with
 * at most 64 KiB of Parameters, Twilio's webhooks, whose messages and attributes are tens of KiB at most) is small.
 */
export const FLOW_SAVE_BODY_LIMIT_BYTES = 5 * 1024 * 1024;
export const FORM_BODY_LIMIT_BYTES = 256 * 1024;

/** Paths whose POST carries a flow Definition (create, update, Validate). */
const FLOW_SAVE_PATHS = ['/v2/Flows', '/v2/Flows/:sid'];

/**
 * Parses form-encoded bodies on every route (Twilio's API and webhooks are form-encoded): flow saves up to 5 MiB,
 * everything else up to 256 KiB. A larger body is answered 413 by the error handler before any route runs.
 */
export function useFormBodies(app: Express): void {
  app.post(FLOW_SAVE_PATHS, express.urlencoded({ extended: false, limit: FLOW_SAVE_BODY_LIMIT_BYTES }));
  // A body the first parser read is not read again.
  app.use(express.urlencoded({ extended: false, limit: FORM_BODY_LIMIT_BYTES }));
}
