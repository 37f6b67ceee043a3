import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { TWILIO_HEARTBEAT_TIMEOUT_MS, TWILIO_START_TO_CLOSE_MS } from '../contracts/twilio-timeouts';

/**
 * HTTP Request and Run Function: Studio allows 10 s and the activity enforces it; one attempt, since a request
 * that may have reached the far end must not be sent twice (a lost worker shows as a failed request).
 */
export const httpActivities = proxyActivities<Activities>({ startToCloseTimeout: '20 seconds', retry: { maximumAttempts: 1 } });

/** Twilio outages are retried with backoff for about a minute; refusals fail at once (they are non-retryable). */
const TWILIO_RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '15 seconds', maximumAttempts: 6 } as const;

/**
 * Every Twilio call (Conversations, Programmable Messaging, Flex). Each attempt heartbeats for as long as a request
 * is in flight and bounds every request, and the timeouts are chosen so that a live attempt always ends before
 * Temporal would start another (the arithmetic is in src/workflows/contracts/twilio-timeouts.ts); a worker that dies mid-call is
 * noticed within the heartbeat timeout, and its retry looks for what the lost attempt made before making it again.
 */
export const twilioActivities = proxyActivities<Activities>({
  startToCloseTimeout: TWILIO_START_TO_CLOSE_MS,
  heartbeatTimeout: TWILIO_HEARTBEAT_TIMEOUT_MS,
  retry: TWILIO_RETRY,
});

/** Reading the flow store: it lives in Temporal itself, so waiting out a short outage is right. */
export const flowStoreActivities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 10 },
});

/** The Conversations calls: the same options as every Twilio call (the name other modules already import). */
export const conversationActivities = twilioActivities;
