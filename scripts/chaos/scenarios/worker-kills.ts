import { audit, reply, startExecution, type Tracked, waitForPrompts, waitUntilClosed } from '../executions';
import { newRow, type Row } from '../measure';
import { randomInt } from '../random';
import { type ChaosStack, sleep } from '../stack';

/** How hard a storm is: executions played, worker kills, and the bound on waiting for prompts and ends. */
export interface StormSize {
  readonly executions: number;
  readonly kills: number;
  readonly settleMs: number;
}

/**
 * kill -9 of the worker, again and again, while executions start (start-conversation, prompt in flight); the
 * worker is restarted after each kill. Then every prompted execution gets its reply and must end once.
 */
export async function killsDuringStarts(stack: ChaosStack, flowSid: string, size: StormSize): Promise<Row> {
  const row = newRow(`worker kill -9 ×${size.kills} during starts`);
  stack.counter = row;
  const executions: Tracked[] = [];
  await storm(stack, size, async (i) => {
    row.tried += 1;
    const execution = await startExecution(stack, row, flowSid, 'reply', `ks${i}-${Date.now().toString(36)}`);
    if (execution) executions.push(execution);
  });
  const prompted = await waitForPrompts(stack, executions, 1, size.settleMs);
  for (const execution of executions) {
    const conversation = prompted.get(execution.sid);
    if (conversation) await reply(stack, execution, conversation);
  }
  await waitUntilClosed(stack, executions, size.settleMs);
  await audit(stack, row, executions);
  return row;
}

/** kill -9 of the worker, again and again, while the replies of waiting executions are delivered. */
export async function killsDuringReplies(stack: ChaosStack, flowSid: string, size: StormSize): Promise<Row> {
  const row = newRow(`worker kill -9 ×${size.kills} during replies`);
  stack.counter = row;
  const executions: Tracked[] = [];
  for (let i = 0; i < size.executions; i += 1) {
    row.tried += 1;
    const execution = await startExecution(stack, row, flowSid, 'reply', `kr${i}-${Date.now().toString(36)}`);
    if (execution) executions.push(execution);
  }
  const prompted = await waitForPrompts(stack, executions, 1, size.settleMs);
  await storm(stack, { ...size, executions: executions.length }, async (i) => {
    const execution = executions[i]!;
    const conversation = prompted.get(execution.sid);
    if (conversation) await reply(stack, execution, conversation);
  });
  await waitUntilClosed(stack, executions, size.settleMs);
  await audit(stack, row, executions);
  return row;
}

/**
 * Splits `size.executions` acts into `size.kills` batches; each batch is started at once, and 0.1–0.8 s later,
 * while its activities are in flight, the worker is killed (and restarted before the next batch).
 */
async function storm(stack: ChaosStack, size: StormSize, act: (i: number) => Promise<void>): Promise<void> {
  const perBatch = Math.ceil(size.executions / size.kills);
  for (let k = 0; k < size.kills; k += 1) {
    const batch = Array.from({ length: perBatch }, (_, j) => k * perBatch + j).filter((i) => i < size.executions);
    const acting = Promise.all(batch.map(act));
    await sleep(randomInt(100, 800));
    await stack.killWorker();
    await acting;
  }
}
