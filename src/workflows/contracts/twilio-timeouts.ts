/**
 * The timeouts of every Twilio call the worker makes, in one place because two sides of the sandbox depend on them
 * (the client in activities, the activity options in workflows) and they only work together. The rule they keep:
 * no retry may start while an earlier attempt can still commit something.
 *
 * - T = TWILIO_REQUEST_TIMEOUT_MS (70 s) bounds one HTTP request: the client aborts it then, and a request Twilio has
 *   not answered in T is taken to be over (Twilio's slowest answer is assumed to stay below it; the emulator's
 *   slowest fault, a 60 s delay, does).
 * - One attempt looks for a lost attempt's create and waits it out (together ≤ T, since the wait ends at the lost
 *   send + T; only on a retry after a lost worker), then makes at most three requests one after another (a lookup,
 *   the create, a lookup after "already exists"): ≤ 4T = 280 s.
 *   TWILIO_START_TO_CLOSE_MS (300 s) is above that, so a live attempt always ends (answer or abort) before Temporal
 *   times it out and schedules another.
 * - While a request is in flight the attempt heartbeats every second; TWILIO_HEARTBEAT_TIMEOUT_MS (5 s) therefore
 *   only fires for a worker that died or froze; the retry then looks for what the lost request made, and when
 *   nothing is there yet waits until its send time + T and looks again (findLostCreate in
 *   src/activities/twilio/twilio-calls.ts). Conversations and
 *   participants skip that wait: Twilio itself refuses the second of two identical creates (50353, 50437).
 */
export const TWILIO_REQUEST_TIMEOUT_MS = 70_000;

/** Above the longest a live attempt can take (see above): 4 × 70 s = 280 s, plus room. */
export const TWILIO_START_TO_CLOSE_MS = 300_000;

/** A dead worker is noticed within this; a live one heartbeats every second. */
export const TWILIO_HEARTBEAT_TIMEOUT_MS = 5_000;
