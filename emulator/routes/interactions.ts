import { Router } from 'express';
import { invalidParameter } from '../errors';
import { bodyParams, one, type Params } from '../params';
import type { InteractionRecord } from '../records';
import { renderInteraction } from '../resources/interaction';
import { created, type RouteDeps, twilioRoute } from '../route';
import { isSid, newSid } from '../sids';
import { jsonText } from '../validate';

/** Flex `POST /v1/Interactions` (flex-api.twilio.com): hands a conversation to Flex; recorded, nothing routed. */
export function interactionRoutes({ store, faults }: RouteDeps): Router {
  const router = Router();
  router.post(
    '/',
    twilioRoute(faults, 'interactions.create', (req) => {
      const interaction = parseInteraction(bodyParams(req));
      store.interactions.set(interaction.sid, interaction);
      return created(renderInteraction(interaction));
    }),
  );
  return router;
}

function parseInteraction(params: Params): InteractionRecord {
  const channel = jsonObject(params, 'Channel');
  const routing = jsonObject(params, 'Routing');
  const properties = routing.properties;
  const workflowSid = isObject(properties) ? properties.workflow_sid : undefined;
  if (typeof workflowSid !== 'string' || !isSid(workflowSid, 'WW')) {
    throw invalidParameter(
      'Routing',
      'properties.workflow_sid must be a TaskRouter workflow SID (WW and 32 hex digits)',
    );
  }
  return {
    sid: newSid('KD'),
    channel: { ...channel, sid: newSid('UO') },
    routing: { ...routing, sid: newSid('WT') },
    interactionContextSid: one(params, 'InteractionContextSid') ?? null,
    webhookTtid: one(params, 'WebhookTtid') ?? null,
    dateCreated: new Date(),
  };
}

function jsonObject(params: Params, name: string): Record<string, unknown> {
  const text = one(params, name);
  if (text === undefined) throw invalidParameter(name, 'is required');
  const value: unknown = JSON.parse(jsonText(text, name));
  if (!isObject(value)) throw invalidParameter(name, 'must be a JSON object');
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
