import { ApplicationFailure } from '@temporalio/common';
import { Context, heartbeat, sleep } from '@temporalio/activity';
import { TWILIO_FAILURE } from '../../workflows/contracts/failure-types';
import { TWILIO_REQUEST_TIMEOUT_MS } from '../../workflows/contracts/twilio-timeouts';
import { twilioStatus } from './resources';

/**
 * What an attempt heartbeats about its Twilio creates. Temporal hands the last heartbeat of a lost attempt to the
 * next one (`info.heartbeatDetails`), which is how a retry learns what the lost attempt may have left in flight.
 */
export interface TwilioCallState {
  /** Epoch ms at which a create was sent that has neither been answered nor given up on: it may still commit. */
  readonly createSentAt?: number;
  /** A create ended without a clear answer (no answer, or a 5xx): it may have committed. */
  readonly outcomeUnknown?: boolean;
  /** Epoch ms at which the first attempt of this activity sent its create: nothing it made can be older. */
  readonly firstSentAt?: number;
}

/** How often an attempt heartbeats while it waits on Twilio; Temporal throttles sends to 80% of heartbeatTimeout. */
const HEARTBEAT_EVERY_MS = 1_000;

/** Each attempt's state; it starts from what the attempt before it reported last, so a chain of lost attempts keeps it. */
const stateOf = new WeakMap<Context, TwilioCallState>();

function currentState(context = Context.current()): TwilioCallState {
  const known = stateOf.get(context);
  if (known) return known;
  const state: TwilioCallState = { ...(context.info.heartbeatDetails as TwilioCallState | undefined) };
  stateOf.set(context, state);
  return state;
}

function setState(state: TwilioCallState): void {
  stateOf.set(Context.current(), state);
  heartbeat(state);
}

/** Runs `work` while heartbeating the current state, so Temporal never times the attempt out while it is alive. */
async function heartbeating<T>(work: () => Promise<T>): Promise<T> {
  // The context is taken now: a timer's callback is not guaranteed to run inside the activity's async context.
  const context = Context.current();
  context.heartbeat(currentState(context));
  const timer = setInterval(() => context.heartbeat(currentState(context)), HEARTBEAT_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** A Twilio call that is safe to repeat (a fetch, a list, a delete), with heartbeats for as long as it is in flight. */
export function callTwilio<T>(call: () => Promise<T>): Promise<T> {
  return heartbeating(call);
}

/**
 * A Twilio create, with heartbeats for as long as it is in flight. While it is in flight the heartbeat carries
 * `createSentAt`, so a retry after a lost worker knows when the create it cannot see may still commit; once Twilio
 * answers (or the connection ends) that is cleared, and `outcomeUnknown` says whether the create may have committed.
 */
export async function createInTwilio<T>(call: () => Promise<T>): Promise<T> {
  const before = currentState();
  const sentAt = Date.now();
  const firstSentAt = before.firstSentAt ?? sentAt;
  setState({ ...before, createSentAt: sentAt, firstSentAt });
  try {
    const result = await heartbeating(call);
    setState({ outcomeUnknown: before.outcomeUnknown, firstSentAt });
    return result;
  } catch (err) {
    // A 4xx is a refusal (nothing was made); a 5xx or no answer at all leaves the outcome unknown.
    const status = twilioStatus(err);
    const refused = status !== undefined && status < 500;
    setState({ outcomeUnknown: before.outcomeUnknown || !refused, firstSentAt });
    throw err;
  }
}

/**
 * On a retry, waits until no create of a lost attempt can still commit, heartbeating meanwhile: a worker that died
 * mid-call left a request Twilio may still be working on, and the retry's lookup must come after Twilio is done.
 * The bound is the client's request timeout: Twilio answers or gives up on a request within it (src/workflows/contracts/twilio-timeouts.ts).
 */
export async function waitOutLostCreates(): Promise<void> {
  const { createSentAt } = currentState();
  if (createSentAt === undefined) return;
  const waitMs = createSentAt + TWILIO_REQUEST_TIMEOUT_MS - Date.now();
  if (waitMs > 0) await heartbeating(() => sleep(waitMs));
  setState({ outcomeUnknown: true, firstSentAt: currentState().firstSentAt }); // the lost create was never answered
}

/**
 * On a retry, what a lost attempt made, found by `lookup`. It looks at once, since a create the dead worker sent has
 * almost always committed by the time Temporal notices the loss (heartbeat timeout); only when nothing is there yet
 * does it wait out the lost create ({@link waitOutLostCreates}, up to TWILIO_REQUEST_TIMEOUT_MS after its send) and
 * look again, so a create still in flight at Twilio is found rather than made twice. Resolves undefined when nothing
 * was made and no earlier create can still commit: the caller may create. Errors: the lookup's.
 */
export async function findLostCreate<T>(lookup: () => Promise<T | undefined>): Promise<T | undefined> {
  const found = await lookup();
  if (found !== undefined || currentState().createSentAt === undefined) return found;
  await waitOutLostCreates();
  return lookup();
}

/**
 * The earliest moment a create of this activity can have committed, at Twilio's precision (whole seconds, as its
 * `date_created`): the first attempt's send time from the heartbeats when one reached Temporal, else the time the
 * activity was first scheduled (Temporal's `scheduledTimestampMs`, the same for every attempt, never later than a
 * send). A retry recognises what a lost attempt made as created on or after this. Assumes the worker's clock and
 * Twilio's agree to within a second.
 */
export function earliestCreate(): Date {
  const context = Context.current();
  const since = currentState(context).firstSentAt ?? context.info.scheduledTimestampMs;
  return new Date(Math.floor(since / 1000) * 1000);
}

/**
 * For creates that Twilio gives no way to look up (Flex interactions): refuses, for good, to run again after an attempt
 * whose create may have committed, since a second create would be a second task for an agent. Fails as a refusal,
 * so the widget takes its failure transition visibly instead of risking a duplicate.
 */
export async function refuseAfterUnknownOutcome(what: string): Promise<void> {
  await waitOutLostCreates();
  if (!currentState().outcomeUnknown) return;
  const message = `${what} may have been created by an earlier attempt whose answer was lost; it is not retried, so it is never made twice`;
  throw ApplicationFailure.create({ type: TWILIO_FAILURE.rejected, message, nonRetryable: true, details: [{ message }] });
}
