import { ApplicationFailure } from '@temporalio/common';
import type { JsonObject } from '../../flow/context';
import { TWILIO_FAILURE, type TwilioFailureDetails } from '../../temporal/failure-types';

export { TWILIO_FAILURE, type TwilioFailureDetails };

/**
 * Classifies anything a Twilio call threw where it happens: a refusal is a non-retryable ApplicationFailure with
 * Twilio's status and code; everything else is retryable under the activity's retry policy.
 */
export function toTwilioFailure(err: unknown, action: string): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err; // classified already
  const { status, code, message } = (err ?? {}) as { status?: unknown; code?: unknown; message?: unknown };
  const details: TwilioFailureDetails = {
    status: typeof status === 'number' ? status : undefined,
    code: typeof code === 'number' ? code : undefined,
    message: typeof message === 'string' && message !== '' ? message : String(err),
  };
  const rejected = details.status !== undefined && details.status >= 400 && details.status < 500 && details.status !== 429;
  return ApplicationFailure.create({
    type: rejected ? TWILIO_FAILURE.rejected : TWILIO_FAILURE.unavailable,
    message: `${action}: ${details.message}`,
    nonRetryable: rejected,
    details: [details],
  });
}

/** A Twilio resource instance as plain JSON (dates as ISO strings), safe for workflow history. */
export function plainResource(instance: { toJSON(): unknown }): JsonObject {
  return JSON.parse(JSON.stringify(instance.toJSON())) as JsonObject;
}
