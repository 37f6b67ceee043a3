import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';

/**
 * HTTP Request and Run Function: Studio allows 10 s and the activity enforces it; one attempt, since a request
 * that may have reached the far end must not be sent twice (a lost worker shows as a failed request).
 */
export const httpActivities = proxyActivities<Activities>({ startToCloseTimeout: '20 seconds', retry: { maximumAttempts: 1 } });

/** Twilio outages are retried with backoff for about a minute; refusals fail at once (they are non-retryable). */
const TWILIO_RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '15 seconds', maximumAttempts: 6 } as const;

/** Twilio calls. */
export const twilioActivities = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: TWILIO_RETRY });

/**
 * Conversations calls: as twilioActivities, and a worker that dies mid-call is noticed within seconds (these
 * activities heartbeat when they start), so a retry on another worker finishes the job; each is safe to retry.
 */
export const conversationActivities = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', heartbeatTimeout: '5 seconds', retry: TWILIO_RETRY });

/** Reading the flow store: it lives in Temporal itself, so waiting out a short outage is right. */
export const flowStoreActivities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 10 },
});
