import { condition, defineSignal, setHandler, workflowInfo } from '@temporalio/workflow';
import { httpActivities, twilioActivities } from '../../src/workflows/execution/activity-proxies';

// The execution workflow's own activity proxies, so only the orchestration differs.
const { sendHttpRequest } = httpActivities;
const { sendSmsMessage } = twilioActivities;
const { sendConversationMessage } = twilioActivities;

export interface HandWrittenInput {
  readonly to: string;
  readonly from: string;
  readonly orderId: string;
  readonly statusUrl: string;
}

/**
 * What a developer would write by hand for the benchmark's five-widget flow: keep a variable, branch, call the
 * HTTP endpoint, text the contact. The baseline `npm run bench:engine` compares the Studio runtime against.
 */
export async function handWrittenOrderWorkflow(input: HandWrittenInput): Promise<string> {
  const orderId = input.orderId.trim();
  if (orderId === '') return 'no order';
  const response = await sendHttpRequest({ method: 'GET', url: `${input.statusUrl}?order_id=${encodeURIComponent(orderId)}` });
  const status = response.ok && response.status_code < 300 ? (JSON.parse(response.body) as { status: string }).status : 'unknown';
  await sendSmsMessage({ to: input.to, from: input.from, body: `Order ${orderId}: ${status}`, mediaUrl: [] });
  return status;
}

export const turnSignal = defineSignal<[string]>('turn');

/**
 * The bare round trip `npm run bench:conversations` compares a conversation turn against: a signal arrives, an
 * activity sends the next message into the conversation. No webhook, no signature, no flow.
 */
export async function bareTurnsWorkflow(input: { conversationSid: string; turns: number }): Promise<void> {
  const replies: string[] = [];
  setHandler(turnSignal, (body) => void replies.push(body));
  for (let turn = 0; turn < input.turns; turn++) {
    await sendConversationMessage({ conversationSid: input.conversationSid, body: `Turn ${turn}`, idempotencyKey: `${workflowInfo().workflowId}-${turn}` });
    await condition(() => replies.length > turn);
  }
  await sendConversationMessage({ conversationSid: input.conversationSid, body: 'bye', idempotencyKey: `${workflowInfo().workflowId}-bye` });
}

export interface HandWrittenConversationInput {
  readonly to: string;
  readonly from: string;
  /** How long the prompt waits for its answer, in seconds (the flow's send-and-wait-for-reply timeout). */
  readonly timeoutSeconds: number;
}

/**
 * What a developer would write by hand for `npm run bench:scale`'s flow: start a conversation with the contact (the
 * same three Twilio calls as start-conversation), ask, wait for the answer (a signal), thank them. The baseline
 * bench:scale compares memory, first-prompt throughput and reply latency against.
 */
export async function handWrittenConversationWorkflow(input: HandWrittenConversationInput): Promise<string | undefined> {
  const { createConversation, addConversationParticipant, addConversationWebhook } = twilioActivities;
  const executionSid = workflowInfo().workflowId;
  const conversation = await createConversation({ executionSid, runId: workflowInfo().runId });
  const conversationSid = String(conversation.sid);
  await addConversationParticipant({ conversationSid, address: input.to, proxyAddress: input.from });
  await addConversationWebhook({ conversationSid, executionSid });
  const replies: string[] = [];
  setHandler(turnSignal, (body) => void replies.push(body));
  await sendConversationMessage({ conversationSid, body: 'How was it?', idempotencyKey: `${executionSid}-ask` });
  if (!(await condition(() => replies.length > 0, input.timeoutSeconds * 1000))) return undefined;
  await sendConversationMessage({ conversationSid, body: 'Thanks!', idempotencyKey: `${executionSid}-thanks` });
  return replies[0];
}

/**
 * The bare counterpart of `npm run bench:webhooks`' waiting executions: a workflow that only waits for its reply (the
 * `turn` signal) and ends with it, or with undefined after `timeoutSeconds`. No Twilio calls, no webhook: what a plain
 * Temporal client's signal costs.
 */
export async function waitForReplyWorkflow(input: { timeoutSeconds: number }): Promise<string | undefined> {
  const replies: string[] = [];
  setHandler(turnSignal, (body) => void replies.push(body));
  return (await condition(() => replies.length > 0, input.timeoutSeconds * 1000)) ? replies[0] : undefined;
}
