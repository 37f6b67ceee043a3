import { randomBytes } from 'node:crypto';
import type { FlowDefinition } from '../../src/flow/definition';
import { FlowStore } from '../../src/services/flow-store';
import type { ProcessStack } from './process-stack';
import { type Burst, type BurstOptions, MESSAGING_TIMEOUT_MS, productBurst, progress, sendBurst, SETUP_IN_FLIGHT, type Webhook } from './webhook-sender';
import { until } from './waiting';

/** The flow's number: the `To` of every contact's text. */
const FLOW_NUMBER = '+15559990001';

/** A contact's first text starts it; it asks, waits for the answer (another text), thanks. */
const SMS_FLOW: FlowDefinition = {
  initial_state: 'Trigger',
  states: [
    { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingMessage', next: 'ask' }], properties: {} },
    { name: 'ask', type: 'send-and-wait-for-reply', transitions: [{ event: 'incomingMessage', next: 'thanks' }, { event: 'timeout' }], properties: { body: 'How was it?', timeout: '3600' } },
    { name: 'thanks', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'Thanks!' } },
  ],
};
const EXPECTED_FLOW_MESSAGES = 2;

/**
 * bench:webhooks' `--sms` row: N contacts text the flow's number (Messaging webhooks at the flow's URL start N
 * executions), all wait for their answer, then N answers arrive in one burst at the same URL, where the API routes
 * each by its `From` to the contact's execution (the contact lock, then the signal). Twilio's Messaging webhook
 * waits 15 s; this sender retries it like the Conversations one, though Twilio retries a Messaging webhook only when
 * its URL asks for it.
 */
export async function smsBurst(stack: ProcessStack, options: BurstOptions): Promise<Burst> {
  const { n, deadlineMs } = options;
  const name = 'studio-temporal: Messaging webhook at the flow URL → route → signal';
  const flowSid = (await new FlowStore(stack.client, stack.config.temporal.taskQueue).save({ friendly_name: 'webhooks-sms', status: 'published', definition: SMS_FLOW })).flow_sid;
  const url = `${stack.apiUrl}/v1/Accounts/${stack.config.twilio.accountSid}/Flows/${flowSid}`;
  const texts = (body: string) => Array.from({ length: n }, (_, i): Webhook => ({ url, timeoutMs: MESSAGING_TIMEOUT_MS, countsRetries: false, params: messagingFields(stack, smsContact(i), body) }));
  const setup = { ...options, concurrency: SETUP_IN_FLIGHT, authToken: stack.config.twilio.authToken };
  const startedAt = performance.now();
  const first = await sendBurst(texts('hi'), setup);
  if (first.accepted.some((ok) => !ok)) throw new Error(`${first.accepted.filter((ok) => !ok).length} first texts were not taken`);
  const contacts = Array.from({ length: n }, (_, i) => smsContact(i));
  const allSent = (count: number) => () => {
    const sent = sentTo(stack);
    return contacts.every((c) => (sent.get(c) ?? 0) >= count) ? true : undefined;
  };
  if (!(await until(deadlineMs, allSent(1)))) {
    throw new Error(`not all ${n} SMS executions asked their question within ${deadlineMs / 1000} s`);
  }
  progress(name, `all ${n} wait for their reply (${((performance.now() - startedAt) / 1000).toFixed(1)} s)`);

  const burst = await sendBurst(texts('great'), { ...options, authToken: stack.config.twilio.authToken });
  const accepted = burst.accepted.filter(Boolean).length;
  progress(name, `${accepted} of ${n} webhooks accepted after ${burst.attempts.length} attempts in ${burst.seconds.toFixed(1)} s`);
  await until(deadlineMs, allSent(EXPECTED_FLOW_MESSAGES));
  return productBurst(stack, { name, burst, accepted, deadlineMs, expected: EXPECTED_FLOW_MESSAGES }, () => {
    const sent = sentTo(stack);
    return contacts.map((c) => sent.get(c) ?? 0);
  });
}

/** The SMS the flows sent, counted by the contact they went to. */
function sentTo(stack: ProcessStack): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of stack.emulator.store.messagingMessages.values()) {
    if (message.direction === 'outbound-api') counts.set(message.to, (counts.get(message.to) ?? 0) + 1);
  }
  return counts;
}

/** The fields Programmable Messaging posts for a contact's SMS to the number whose webhook is the flow's URL. */
function messagingFields(stack: ProcessStack, from: string, body: string): Record<string, string> {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  return {
    ToCountry: 'US',
    SmsMessageSid: sid,
    NumMedia: '0',
    SmsSid: sid,
    SmsStatus: 'received',
    Body: body,
    To: FLOW_NUMBER,
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: stack.config.twilio.accountSid,
    From: from,
    ApiVersion: '2010-04-01',
  };
}

function smsContact(i: number): string {
  return `+1999${String(i).padStart(7, '0')}`;
}
