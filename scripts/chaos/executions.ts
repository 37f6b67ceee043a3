import { temporal } from '@temporalio/proto';
import type { AdminState } from '../../emulator/admin-state';
import type { DeliveryAttempt } from '../../emulator/records';
import { executionConversationPrefix } from '../../src/activities/twilio/conversations';
import type { FlowDefinition } from '../../src/flow/definition';
import { promptText, smsText, thanksText } from './flows';
import { note, type Row } from './measure';
import { type ChaosStack, type HttpAnswer, sleep } from './stack';

/** What an execution is expected to do: reply flows wait for `replies` replies; sms and flex flows just send. */
export type FlowKind = 'reply' | 'two-replies' | 'sms' | 'flex';

/** An execution the harness started and will audit. */
export interface Tracked {
  readonly sid: string;
  readonly flowSid: string;
  readonly contact: string;
  readonly marker: string;
  readonly kind: FlowKind;
  /** MessageSids of the replies the contact sent, in order, each sent while the execution waited for it. */
  readonly replies: string[];
}

let contactCounter = 0;
/** A fresh contact number per execution (and per concurrent-start group), so no two executions share a lock. */
export function nextContact(): string {
  contactCounter += 1;
  return `+1555${String(process.pid % 1000).padStart(3, '0')}${String(contactCounter).padStart(4, '0')}`;
}

/**
 * Counts an API answer against the row: a 5xx, or no answer in time, is the row's 5xx column. In a row that takes
 * Temporal down (`outage`), a 503 within Twilio's 5 s webhook timeout is the documented answer and is not counted.
 */
export function count5xx(row: Row, answer: HttpAnswer, what: string, outage = false): void {
  if (outage && answer.status === 503 && answer.ms < 5_000) return;
  if (answer.status >= 500 || answer.status === 0) {
    row.http5xx += 1;
    note(row, `${what} → ${answer.status === 0 ? `no answer in ${Math.round(answer.ms / 1000)} s` : `${answer.status} after ${(answer.ms / 1000).toFixed(1)} s`}: ${answer.text.slice(0, 120)}`);
  }
}

/** Publishes a flow through the API and returns its SID. */
export async function publishFlow(stack: ChaosStack, name: string, definition: FlowDefinition): Promise<string> {
  const answer = await stack.api('POST', '/v2/Flows', { FriendlyName: name, Status: 'published', Definition: JSON.stringify(definition) });
  if (answer.status !== 201) throw new Error(`publishing ${name}: ${answer.status} ${answer.text.slice(0, 300)}`);
  return (answer.body as { sid: string }).sid;
}

/** Starts an execution as Studio's REST trigger does; a failed start is counted (5xx) and returns undefined. */
export async function startExecution(stack: ChaosStack, row: Row, flowSid: string, kind: FlowKind, marker: string, outage = false): Promise<Tracked | undefined> {
  const contact = nextContact();
  const answer = await stack.api('POST', `/v2/Flows/${flowSid}/Executions`, { To: contact, From: '+15550001111', Parameters: JSON.stringify({ marker }) });
  count5xx(row, answer, 'POST …/Executions', outage);
  if (answer.status !== 201) {
    note(row, `start answered ${answer.status}: ${answer.text.slice(0, 120)}`);
    return undefined;
  }
  return { sid: (answer.body as { sid: string }).sid, flowSid, contact, marker, kind, replies: [] };
}

/** The parts of a conversation in the emulator's admin state that the audit reads. */
export interface StateConversation {
  readonly sid: string;
  readonly unique_name: string | null;
  readonly messages: ReadonlyArray<{ sid: string; author: string; body: string }>;
  readonly participants: readonly unknown[];
  readonly webhooks: ReadonlyArray<{ sid: string }>;
}

/** The conversations an execution created (found by the unique names the product gives them). */
export function conversationsOf(state: AdminState, sid: string): StateConversation[] {
  const prefix = executionConversationPrefix(sid);
  return (state.conversations as unknown as StateConversation[]).filter((c) => (c.unique_name ?? '').startsWith(prefix));
}

/**
 * Waits (polling the emulator) until the `n`-th prompt of each execution was sent; resolves with the conversation
 * SID per execution for those that prompted within `timeoutMs`.
 */
export async function waitForPrompts(stack: ChaosStack, executions: readonly Tracked[], n: number, timeoutMs: number): Promise<Map<string, string>> {
  const prompted = new Map<string, string>();
  const deadline = Date.now() + timeoutMs;
  while (prompted.size < executions.length && Date.now() < deadline) {
    const state = await stack.emulatorState();
    for (const execution of executions) {
      if (prompted.has(execution.sid)) continue;
      const conversation = conversationsOf(state, execution.sid).find((c) => c.messages.some((m) => m.body === promptText(execution.marker, n)));
      if (conversation) prompted.set(execution.sid, conversation.sid);
    }
    if (prompted.size < executions.length) await sleep(250);
  }
  return prompted;
}

/**
 * The contact answers: a message created in the emulator as the participant, with X-Twilio-Webhook-Enabled so the
 * emulator delivers onMessageAdded to the API, signed, with Twilio's retries. `webhook: false` creates the message
 * without a delivery (the caller delivers it itself).
 */
export async function reply(stack: ChaosStack, execution: Tracked, conversationSid: string, options: { webhook?: boolean } = {}): Promise<string | undefined> {
  const headers: Record<string, string> = options.webhook === false ? {} : { 'X-Twilio-Webhook-Enabled': 'true' };
  const answer = await stack.emulator('POST', `/v1/Conversations/${conversationSid}/Messages`, { Author: execution.contact, Body: `R${execution.replies.length + 1} ${execution.marker}` }, headers);
  if (answer.status !== 201) return undefined;
  const sid = (answer.body as { sid: string }).sid;
  execution.replies.push(sid);
  return sid;
}

/** Waits until every execution is closed in Temporal (an unreachable server closes nothing), or the deadline passes. */
export async function waitUntilClosed(stack: ChaosStack, executions: readonly { sid: string }[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const open = new Set(executions.map((e) => e.sid));
  while (open.size > 0 && Date.now() < deadline) {
    for (const sid of [...open]) if (!['RUNNING', 'UNREACHABLE'].includes(await temporalStatus(stack, sid))) open.delete(sid);
    if (open.size > 0) await sleep(500);
  }
}

/** The workflow's status as Temporal reports it ('UNREACHABLE' when the server does not answer). */
export async function temporalStatus(stack: ChaosStack, sid: string): Promise<string> {
  try {
    return (await stack.temporalClient.workflow.getHandle(sid).describe()).status.name;
  } catch (err) {
    return (err as Error).name === 'WorkflowNotFoundError' ? 'NOT_FOUND' : 'UNREACHABLE';
  }
}

type Widgets = Record<string, { inbound?: { MessageSid?: string }; sid?: string; error?: { message?: string } } | undefined>;

/**
 * Audits executions after their row: stuck, lost, duplicated and ended-correctly, from Temporal, the API and the
 * emulator's store. Executions still running are terminated afterwards so the next row starts clean.
 */
export async function audit(stack: ChaosStack, row: Row, executions: readonly Tracked[], outage = false): Promise<void> {
  const state = await stack.emulatorState();
  for (const execution of executions) {
    const status = await temporalStatus(stack, execution.sid);
    // Unknown (the server does not answer) is not taken as ended.
    const stuck = status === 'RUNNING' || status === 'UNREACHABLE';
    if (stuck) {
      row.stuck += 1;
      note(row, `stuck: ${execution.sid} ${status === 'RUNNING' ? 'still running' : 'not answered for by Temporal'} (${execution.kind}, ${execution.replies.length} replies sent)`);
      if (status === 'RUNNING') note(row, await stuckTrail(stack, execution.sid));
    }
    const answer = await stack.api('GET', `/v2/Flows/${execution.flowSid}/Executions/${execution.sid}`);
    count5xx(row, answer, 'GET …/Executions/{FN} after the row');
    const resource = answer.status === 200 ? (answer.body as { status: string; context: { widgets?: Widgets } }) : undefined;
    const widgets: Widgets = resource?.context.widgets ?? {};
    const lost = lostReplies(execution, widgets);
    row.lost += lost.length;
    for (const sid of lost) note(row, `lost: reply ${sid} never taken by ${execution.sid}${deliverySummary(state.webhook_deliveries, sid)}`);
    const duplicates = duplicatesOf(state, execution, widgets);
    row.duplicated += duplicates.length;
    for (const d of duplicates) note(row, `duplicated: ${d} (${execution.sid})`);
    const leftover = stuck ? 0 : conversationsOf(state, execution.sid).reduce((n, c) => n + c.webhooks.length, 0);
    if (leftover > 0) note(row, `a webhook left behind after the end (${execution.sid})`);
    const completed = completedPath(execution, widgets);
    if (!completed && !stuck && resource) note(row, `ended without its expected path: ${execution.sid} (${JSON.stringify(Object.keys(widgets))})`);
    if (!stuck && resource?.status === 'ended' && lost.length === 0 && duplicates.length === 0 && leftover === 0 && completed) row.endedCorrectly += 1;
  }
  for (const delivery of deliveriesOf(state, executions)) {
    if (outage && delivery.status === 503 && delivery.durationMs < 5_000) continue;
    if (delivery.status === null || delivery.status >= 500) {
      row.http5xx += 1;
      note(row, `webhook delivery of ${delivery.messageSid} (try ${delivery.attempt}) → ${delivery.status ?? delivery.error}`);
    }
  }
  await terminateRunning(stack, executions);
}

/**
 * What a stuck execution's history says, for the row's notes (CI keeps only the printed table): its warnings
 * (ignored replies, 81002) and its events in order, activities and signals named, so a rare case can be read
 * from one failed run.
 */
async function stuckTrail(stack: ChaosStack, sid: string): Promise<string> {
  const handle = stack.temporalClient.workflow.getHandle(sid);
  try {
    const view = await handle.query<{ warnings?: readonly { message: string }[] } | undefined>('getExecution');
    const history = await handle.fetchHistory();
    const trail = (history.events ?? []).map((event) => {
      const type = String(temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? event.eventType).replace(/^EVENT_TYPE_/, '');
      const activity = event.activityTaskScheduledEventAttributes?.activityType?.name;
      const signal = event.workflowExecutionSignaledEventAttributes?.signalName;
      const attempt = event.activityTaskStartedEventAttributes?.attempt ?? 1;
      const named = activity ?? signal ? `${type}(${activity ?? signal})` : type;
      return attempt > 1 ? `${named}(attempt ${attempt})` : named;
    });
    const pending = (await handle.describe()).raw.pendingActivities ?? [];
    const activities = pending.map((a) => {
      const state = String(temporal.api.enums.v1.PendingActivityState[a.state ?? 0] ?? a.state).replace(/^PENDING_ACTIVITY_STATE_/, '');
      const failure = a.lastFailure?.message ? `, last failure ${JSON.stringify(a.lastFailure.message.slice(0, 200))}` : '';
      return `${a.activityType?.name} ${state} attempt ${a.attempt}${a.lastWorkerIdentity ? ` on ${a.lastWorkerIdentity}` : ''}${failure}`;
    });
    return `trail of ${sid}: warnings ${JSON.stringify((view?.warnings ?? []).map((w) => w.message))}; events ${trail.join(' ')}; pending activities [${activities.join('; ')}]`;
  } catch (err) {
    return `trail of ${sid} unavailable: ${String(err)}`;
  }
}

function lostReplies(execution: Tracked, widgets: Widgets): string[] {
  const taken = [widgets.ask?.inbound?.MessageSid, widgets.ask2?.inbound?.MessageSid];
  return execution.replies.filter((sid) => !taken.includes(sid));
}

function completedPath(execution: Tracked, widgets: Widgets): boolean {
  if (execution.kind === 'sms') return widgets.sms !== undefined;
  // A hand-off whose create had an unknown outcome (an answer lost after Twilio may have made it) is refused rather
  // than retried, since Flex has no lookup for it: the flow takes failedToEnqueue, and one task at most exists.
  if (execution.kind === 'flex') return typeof widgets.to_agent?.sid === 'string' || /not retried, so it is never made twice/.test(widgets.to_agent?.error?.message ?? '');
  return widgets.thanks !== undefined;
}

/** Every resource the execution created more than once, or a reply taken twice; one entry per extra copy. */
function duplicatesOf(state: AdminState, execution: Tracked, widgets: Widgets): string[] {
  const found: string[] = [];
  const extra = (what: string, n: number) => {
    for (let i = 1; i < n; i += 1) found.push(what);
  };
  if (execution.kind === 'sms') {
    extra('SMS sent twice', state.messaging_messages.filter((m) => m.body === smsText(execution.marker)).length);
    return found;
  }
  const conversations = conversationsOf(state, execution.sid);
  extra('conversation created twice', conversations.length);
  for (const conversation of conversations) {
    extra('participant added twice', conversation.participants.length);
    const flowMessages = conversation.messages.filter((m) => m.author !== execution.contact);
    for (const n of [1, 2]) extra(`prompt ${n} sent twice`, flowMessages.filter((m) => m.body === promptText(execution.marker, n)).length);
    extra('thanks sent twice', flowMessages.filter((m) => m.body === thanksText(execution.marker)).length);
    // Webhooks seen: those a reply was delivered to, and those still there (after the end, any is one too many).
    const webhookSids = new Set(state.webhook_deliveries.filter((d) => d.conversationSid === conversation.sid).map((d) => d.webhookSid));
    for (const webhook of conversation.webhooks) webhookSids.add(webhook.sid);
    extra('webhook registered twice', webhookSids.size);
    const interactions = state.interactions.filter((i) => JSON.stringify(i.channel ?? {}).includes(conversation.sid));
    extra('Flex interaction created twice', interactions.length);
  }
  const first = widgets.ask?.inbound?.MessageSid;
  if (execution.kind === 'two-replies' && first && widgets.ask2?.inbound?.MessageSid === first) found.push('one reply taken by two widgets');
  return found;
}

function deliveriesOf(state: AdminState, executions: readonly Tracked[]): DeliveryAttempt[] {
  const replies = new Set(executions.flatMap((e) => e.replies));
  return state.webhook_deliveries.filter((d) => replies.has(d.messageSid));
}

function deliverySummary(deliveries: readonly DeliveryAttempt[], messageSid: string): string {
  const mine = deliveries.filter((d) => d.messageSid === messageSid);
  if (mine.length === 0) return ' (no webhook delivery)';
  return ` (deliveries: ${mine.map((d) => d.status ?? 'no answer').join(', ')})`;
}

/** Ends what a row left running, so it does not load the next row; the harness's cleanup, not the product's. */
export async function terminateRunning(stack: ChaosStack, executions: readonly { sid: string }[]): Promise<void> {
  for (const { sid } of executions) {
    await stack.temporalClient.workflow
      .getHandle(sid)
      .terminate('chaos suite: cleanup after the row')
      .catch(() => undefined);
  }
}
