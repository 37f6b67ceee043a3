/**
 * Failure types activities raise and workflows read (by string, never `instanceof`): the contract between the two
 * sides of the sandbox, so it lives in neither.
 */
export const TWILIO_FAILURE = {
  /** Twilio refused the request (4xx other than 429): retrying cannot help. */
  rejected: 'TwilioRequestRejected',
  /** Twilio was unreachable, overloaded (429) or failed (5xx): Temporal retries. */
  unavailable: 'TwilioUnavailable',
} as const;

/** What a workflow learns about a refused request. */
export interface TwilioFailureDetails {
  readonly status?: number;
  readonly code?: number;
  readonly message: string;
}
