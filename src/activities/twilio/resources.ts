import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Json, JsonObject } from '../../flow/context';
import { parseJsonObject } from '../../flow/parse-text';
import { TWILIO_FAILURE } from '../../workflows/contracts/failure-types';

/** A Twilio resource instance as plain JSON (dates as ISO strings), safe for workflow history. */
export function plainResource(instance: { toJSON(): unknown }): JsonObject {
  return JSON.parse(JSON.stringify(instance.toJSON())) as JsonObject;
}

/**
 * A Twilio resource as Twilio's REST API spells it (snake_case keys, ISO dates): the `twilio` client hands back
 * camelCase instances, while Studio's context and Liquid templates read the wire names (`conversation.chat_service_sid`).
 */
export function wireResource(instance: { toJSON(): unknown }): JsonObject {
  return Object.fromEntries(Object.entries(plainResource(instance)).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]));
}

/** True on a retry of the current activity: the previous attempt may have created what this one is about to. */
export function isRetry(): boolean {
  return Context.current().info.attempt > 1;
}

/** Twilio's error code on a RestException (duck-typed: errors may cross module copies). */
export function twilioCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Twilio's HTTP status on a RestException. */
export function twilioStatus(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The widget's `attributes` exactly as the flow configured them, or undefined when none are (Twilio then stores
 * `{}`). Nothing is added: the customer's resources carry only what the flow configured (README, "Exactly once
 * without markers"). Text that is not a JSON object is refused for good, as Twilio would refuse it.
 */
export function configuredAttributes(attributes: string | undefined): string | undefined {
  if (attributes === undefined || attributes.trim() === '') return undefined;
  if (!parseJsonObject(attributes)) {
    const details = { message: `attributes must be a JSON object, not ${JSON.stringify(attributes)}` };
    throw ApplicationFailure.create({ type: TWILIO_FAILURE.rejected, message: details.message, nonRetryable: true, details: [details] });
  }
  return attributes;
}

/** True when a resource's stored `attributes` hold the configured ones (none configured: Twilio's `{}`), as JSON. */
export function sameAttributes(stored: unknown, configured: string | undefined): boolean {
  const have = typeof stored === 'string' && stored.trim() !== '' ? parseJsonObject(stored) : {};
  const want = configured === undefined ? {} : parseJsonObject(configured);
  return have !== undefined && want !== undefined && sameJson(have, want);
}

/** Deep equality of two JSON values; key order does not matter (Twilio may store them re-serialised). */
function sameJson(a: Json, b: Json): boolean {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]!));
  }
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => key in b && sameJson(a[key]!, b[key]!));
}

/** True when a resource's `date_created` (a Date from the client, or ISO text) is on or after `since`. */
export function createdSince(dateCreated: unknown, since: Date): boolean {
  const time = dateCreated instanceof Date ? dateCreated.getTime() : typeof dateCreated === 'string' ? Date.parse(dateCreated) : NaN;
  return time >= since.getTime();
}
