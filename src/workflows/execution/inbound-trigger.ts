import type { ExecutionInput } from '../contracts/execution-messages';

/**
 * The MessageSids an execution has had before its first widget runs: the message that started it, for an execution
 * started by an inbound message (DESIGN.md §8). A redelivery of that message (Twilio retries a webhook it thinks
 * failed) then reaches the execution as one it has already taken.
 */
export function triggerMessageSids(input: ExecutionInput): string[] {
  const trigger = input.trigger;
  const fields = trigger?.kind === 'message' ? trigger.message : trigger?.kind === 'conversation' ? trigger.conversation : undefined;
  return fields?.MessageSid ? [fields.MessageSid] : [];
}
