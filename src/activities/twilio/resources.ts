import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { JsonObject } from '../../flow/context';
import { parseJsonObject } from '../../flow/parse-text';
import { TWILIO_FAILURE } from '../../temporal/failure-types';

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

/** The JSON object in `attributes` with `marker` merged in; text that is not a JSON object is refused for good. */
export function withMarker(attributes: string | undefined, marker: JsonObject): string {
  const base = attributes && attributes.trim() !== '' ? parseJsonObject(attributes) : {};
  if (!base) {
    const details = { message: `attributes must be a JSON object, not ${JSON.stringify(attributes)}` };
    throw ApplicationFailure.create({ type: TWILIO_FAILURE.rejected, message: details.message, nonRetryable: true, details: [details] });
  }
  return JSON.stringify({ ...base, ...marker });
}

/** The value of `key` in a resource's `attributes` JSON string, if it parses. */
export function markerIn(attributes: unknown, key: string): unknown {
  return typeof attributes === 'string' ? parseJsonObject(attributes)?.[key] : undefined;
}
