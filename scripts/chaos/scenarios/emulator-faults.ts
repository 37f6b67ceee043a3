import type { FaultSpec, RouteName } from '../../../emulator/faults';
import { audit, type FlowKind, reply, startExecution, type Tracked, waitForPrompts, waitUntilClosed } from '../executions';
import { newRow, note, type Row } from '../measure';
import { type ChaosStack, sleep } from '../stack';

/** The Twilio calls the worker makes on a flow's normal path, and the flow whose execution makes each. */
export const CREATE_ROUTES: ReadonlyArray<{ route: RouteName; kind: FlowKind }> = [
  { route: 'conversations.create', kind: 'reply' },
  { route: 'participants.create', kind: 'reply' },
  { route: 'webhooks.create', kind: 'reply' },
  { route: 'messages.create', kind: 'reply' },
  { route: 'messaging.messages.create', kind: 'sms' },
  { route: 'interactions.create', kind: 'flex' },
];

/** Calls the worker makes to look up, or to clean up: faulted in the full suite. */
export const OTHER_ROUTES: ReadonlyArray<{ route: RouteName; kind: FlowKind }> = [
  { route: 'conversations.fetch', kind: 'reply' },
  { route: 'participants.list', kind: 'reply' },
  { route: 'webhooks.list', kind: 'reply' },
  { route: 'messages.list', kind: 'reply' },
  { route: 'webhooks.delete', kind: 'reply' },
];

type FaultKind = Omit<FaultSpec, 'route'>;

/** The fault kinds of emulator/faults.ts, with the delays issue 11 names (all below the emulator's 60 s cap). */
export function faultKinds(delaysMs: readonly number[], full: boolean): FaultKind[] {
  const kinds: FaultKind[] = [{ kind: 'status', status: 500 }, { kind: 'commit-then-fail', after: 'status500' }];
  if (full) kinds.push({ kind: 'status', status: 429 }, { kind: 'commit-then-fail', after: 'drop' });
  return [...kinds, ...delaysMs.map((ms): FaultKind => ({ kind: 'delay', ms }))];
}

/** Routes faulted together, each with every kind (one execution per route and kind). */
export interface FaultGroup {
  readonly routes: ReadonlyArray<{ route: RouteName; kind: FlowKind }>;
  readonly kinds: readonly FaultKind[];
}

/**
 * Arms every fault of each group (once each) and plays one execution per armed fault, of the flow that makes that
 * call; every execution must end once, with each resource created once. Groups run one after the other.
 */
export async function emulatorFaults(stack: ChaosStack, flows: Record<FlowKind, string>, groups: readonly FaultGroup[], settleMs: number, name: string): Promise<Row> {
  const row = newRow(name);
  stack.counter = row;
  for (const group of groups) await playGroup(stack, row, flows, group, settleMs);
  return row;
}

async function playGroup(stack: ChaosStack, row: Row, flows: Record<FlowKind, string>, group: FaultGroup, settleMs: number): Promise<void> {
  const armed: FaultSpec[] = group.routes.flatMap(({ route }) => group.kinds.map((kind) => ({ ...kind, route }) as FaultSpec));
  for (const fault of armed) await stack.addFault(fault);
  const executions: Tracked[] = [];
  await Promise.all(
    group.routes.flatMap(({ route, kind }) =>
      group.kinds.map(async (fault, i) => {
        row.tried += 1;
        const execution = await startExecution(stack, row, flows[kind], kind, `f-${route}-${i}-${Date.now().toString(36)}`);
        if (execution) executions.push(execution);
      }),
    ),
  );
  // The contact's reply is a messages.create too: it must not take a fault meant for the worker's prompts.
  const deadline = Date.now() + settleMs;
  while (Date.now() < deadline && (await stack.armedFaults()).some((f) => f.route === 'messages.create')) await sleep(500);
  const unfiredBeforeReplies = (await stack.armedFaults()).filter((f) => f.route === 'messages.create');
  if (unfiredBeforeReplies.length > 0) {
    note(row, `${unfiredBeforeReplies.length} messages.create fault(s) never fired before the replies; disarmed`);
    await stack.clearFaults();
  }
  const waiting = executions.filter((e) => e.kind === 'reply');
  const prompted = await waitForPrompts(stack, waiting, 1, Math.max(1_000, deadline - Date.now()));
  for (const execution of waiting) {
    const conversation = prompted.get(execution.sid);
    if (conversation) await reply(stack, execution, conversation);
  }
  await waitUntilClosed(stack, executions, settleMs);
  const unfired = await stack.armedFaults();
  if (unfired.length > 0) note(row, `faults that never fired: ${unfired.map((f) => `${f.route} ${f.kind}`).join(', ')}`);
  await stack.clearFaults();
  await audit(stack, row, executions);
}
