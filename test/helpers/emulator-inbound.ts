import type { DeliveryAttempt } from '../../emulator/records';
import type { TestStack } from './stack';

/** The emulator's answer to `POST /_emulator/inbound` (emulator/README.md): how it routed the contact's text. */
export interface InboundAnswer {
  readonly route: 'conversation' | 'address-configuration' | 'incoming-phone-number';
  readonly message_sid: string;
  readonly conversation_sid: string | null;
  readonly conversation_message_sid: string | null;
  readonly deliveries: ReadonlyArray<{ kind: string; url: string; method: string }>;
}

/**
 * A contact texts a number through the emulator, as a user plays it with curl: Twilio's routing decides where it goes
 * (an active conversation, an address configuration's auto-creation, or the number's SmsUrl). Throws on a non-201.
 */
export async function contactTexts(stack: TestStack, from: string, to: string, body: string): Promise<InboundAnswer> {
  const response = await fetch(`${stack.twilioServer.url}/_emulator/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ From: from, To: to, Body: body }).toString(),
  });
  const answer = await response.json();
  if (response.status !== 201) throw new Error(`/_emulator/inbound answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer as InboundAnswer;
}

/** Waits until each delivery of the contact's text was answered 2xx (after retries, if any); returns its attempts. */
export async function deliveredAnswers(stack: TestStack, answer: InboundAnswer): Promise<readonly DeliveryAttempt[]> {
  const sids: string[] = [answer.message_sid, ...(answer.conversation_message_sid ? [answer.conversation_message_sid] : [])];
  const ofText = (attempts: readonly DeliveryAttempt[]) => attempts.filter((d) => sids.includes(d.messageSid));
  const answered = (d: DeliveryAttempt) => d.status !== null && d.status < 300;
  await stack.twilio.waitForDeliveries((attempts) => ofText(attempts).filter(answered).length >= answer.deliveries.length);
  return ofText(stack.twilio.deliveries());
}
