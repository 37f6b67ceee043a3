import twilio from 'twilio';
import { audit, count5xx, reply, startExecution, type Tracked, waitForPrompts, waitUntilClosed } from '../executions';
import { newRow, note, type Row } from '../measure';
import { type ChaosStack, sleep } from '../stack';

/** Executions played, extra deliveries of each first reply, and the bound on waiting for prompts and ends. */
export interface RedeliverySize {
  readonly executions: number;
  /** Extra deliveries of the same signed onMessageAdded, on top of the emulator's own one. */
  readonly redeliveries: number;
  readonly settleMs: number;
}

/**
 * Twilio may deliver one onMessageAdded several times (retries after a timeout, at-least-once delivery). Each
 * execution waits twice (ask, then ask2); the first reply's webhook, exactly as the emulator signed and sent it,
 * is delivered again `redeliveries` times (half one by one, half at once). ask2 must not take it: it takes the
 * second reply.
 */
export async function webhookRedelivery(stack: ChaosStack, flowSid: string, size: RedeliverySize): Promise<Row> {
  const row = newRow(`webhook redelivered ×${size.redeliveries}`);
  stack.counter = row;
  const executions: Tracked[] = [];
  for (let i = 0; i < size.executions; i += 1) {
    row.tried += 1;
    const execution = await startExecution(stack, row, flowSid, 'two-replies', `wr${i}-${Date.now().toString(36)}`);
    if (execution) executions.push(execution);
  }
  const prompted = await waitForPrompts(stack, executions, 1, size.settleMs);
  for (const execution of executions) {
    const conversation = prompted.get(execution.sid);
    if (!conversation) continue;
    const messageSid = await reply(stack, execution, conversation);
    if (messageSid) await redeliver(stack, row, messageSid, size.redeliveries);
  }
  const second = await waitForPrompts(stack, executions, 2, size.settleMs);
  for (const execution of executions) {
    const conversation = second.get(execution.sid);
    if (conversation) await reply(stack, execution, conversation);
  }
  await waitUntilClosed(stack, executions, size.settleMs);
  await audit(stack, row, executions);
  return row;
}

/** Sends the emulator's first delivery of `messageSid` again, byte for byte the same form, signature and token. */
async function redeliver(stack: ChaosStack, row: Row, messageSid: string, times: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  let first;
  while (!first && Date.now() < deadline) {
    first = (await stack.emulatorState()).webhook_deliveries.find((d) => d.messageSid === messageSid && d.status !== null);
    if (!first) await sleep(100);
  }
  if (!first) return note(row, `no webhook delivery of ${messageSid} to repeat`);
  const params = { ...first.params, RetryCount: '0' };
  const init = {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'X-Twilio-Signature': twilio.getExpectedTwilioSignature(stack.config.twilio.authToken, first.url, params),
      'I-Twilio-Idempotency-Token': first.idempotencyToken,
    },
    body: new URLSearchParams(params).toString(),
  };
  const path = new URL(first.url).pathname;
  const sequential = Math.ceil(times / 2);
  for (let i = 0; i < sequential; i += 1) count5xx(row, await stack.raw(path, init, 5_000), 'redelivered webhook');
  const together = await Promise.all(Array.from({ length: times - sequential }, () => stack.raw(path, init, 5_000)));
  for (const answer of together) count5xx(row, answer, 'redelivered webhook (concurrent)');
}
