import { audit, reply, startExecution, type Tracked, waitForPrompts, waitUntilClosed } from '../executions';
import { newRow, type Row } from '../measure';
import { type ChaosStack, sleep } from '../stack';

/** How often a start refused during the outage is tried again once the server is back (2 s apart). */
const RETRIES_AFTER_OUTAGE = 5;

/** Executions waiting for a reply when the server goes down, how long it stays down, and the bound on recovery. */
export interface OutageSize {
  readonly executions: number;
  /** How long the Temporal server stays down. */
  readonly downMs: number;
  readonly settleMs: number;
}

/**
 * The Temporal server stops and comes back on the same SQLite file after `downMs`. Executions wait for a reply;
 * their contacts answer while the server is down (the emulator delivers each webhook with Twilio's retries), and
 * one more execution is started during the outage. Every reply must be taken once the server is back.
 */
export async function temporalRestart(stack: ChaosStack, flowSid: string, size: OutageSize): Promise<Row> {
  const row = newRow(`Temporal server down ${Math.round(size.downMs / 1000)} s`);
  stack.counter = row;
  const executions: Tracked[] = [];
  for (let i = 0; i < size.executions; i += 1) {
    row.tried += 1;
    const execution = await startExecution(stack, row, flowSid, 'reply', `tr${size.downMs}-${i}-${Date.now().toString(36)}`);
    if (execution) executions.push(execution);
  }
  const prompted = await waitForPrompts(stack, executions, 1, size.settleMs);
  const restarting = stack.restartTemporal(size.downMs);
  await sleep(Math.min(1_000, size.downMs / 4)); // the server is going down (SIGTERM) or down by now
  const spacing = Math.max(100, (size.downMs * 0.6) / Math.max(1, executions.length));
  for (const execution of executions) {
    const conversation = prompted.get(execution.sid);
    if (conversation) await reply(stack, execution, conversation);
    await sleep(spacing);
  }
  row.tried += 1;
  const startedDuringOutage = await startExecution(stack, row, flowSid, 'reply', `tr${size.downMs}-outage-${Date.now().toString(36)}`, true);
  await restarting;
  // A start refused during the outage is retried once it is over, as a REST client would: a 503 just after the
  // restart (the server still warming up, answered within 5 s) is the documented answer, retried a few times.
  let outageStart = startedDuringOutage;
  for (let attempt = 1; !outageStart && attempt <= RETRIES_AFTER_OUTAGE; attempt += 1) {
    const last = attempt === RETRIES_AFTER_OUTAGE;
    outageStart = await startExecution(stack, row, flowSid, 'reply', `tr${size.downMs}-retried-${attempt}-${Date.now().toString(36)}`, !last);
    if (!outageStart && !last) await sleep(2_000);
  }
  if (outageStart) {
    executions.push(outageStart);
    const late = await waitForPrompts(stack, [outageStart], 1, size.settleMs);
    const conversation = late.get(outageStart.sid);
    if (conversation) await reply(stack, outageStart, conversation);
  }
  await waitUntilClosed(stack, executions, size.settleMs);
  await audit(stack, row, executions, true);
  return row;
}
