import { ApplicationFailure } from '@temporalio/common';
import { TWILIO_FAILURE, type TwilioFailureDetails } from '../../workflows/contracts/failure-types';
import { twilioCode, twilioStatus } from './resources';

/**
 * Classifies anything a Twilio call threw where it happens: a refusal is a non-retryable ApplicationFailure with
 * Twilio's status and code; everything else is retryable under the activity's retry policy.
 */
export function toTwilioFailure(err: unknown, action: string): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err; // classified already
  const message = (err as { message?: unknown } | undefined)?.message;
  const details: TwilioFailureDetails = {
    status: twilioStatus(err),
    code: twilioCode(err),
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
