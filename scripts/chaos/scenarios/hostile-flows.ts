import { count5xx, nextContact, publishFlow, temporalStatus, terminateRunning, waitUntilClosed } from '../executions';
import { HOSTILE_FLOWS, type HostileOutcome, quickFlow } from '../flows';
import { newRow, note, type Row } from '../measure';
import type { ChaosStack } from '../stack';

/**
 * Issue 11's hostile flow code (a backtracking regex, nested loops, a 20 MB variable, a 1 MB value), one execution
 * each, then a plain execution on the same worker. Each hostile execution must end by itself within `settleMs` with
 * the outcome its HOSTILE_FLOWS entry names (Studio's result, or `flow.error`), the API must answer for it (GET, then Status=ended for one still running) without a 5xx, and the
 * worker process must stay up; the plain execution must end too.
 */
export async function hostileFlows(stack: ChaosStack, settleMs: number): Promise<Row> {
  const row = newRow('hostile flow code');
  stack.counter = row;
  const started: Array<{ sid: string; flowSid: string; name: string; outcome?: HostileOutcome }> = [];
  // Published before any runs: a worker brought down by the first must not decide whether the others are tried.
  const flowSids = new Map<string, string>();
  for (const hostile of HOSTILE_FLOWS) flowSids.set(hostile.name, await publishFlow(stack, `chaos ${hostile.name}`, hostile.flow));
  const plainFlow = await publishFlow(stack, 'chaos plain', quickFlow());
  for (const hostile of HOSTILE_FLOWS) {
    row.tried += 1;
    const flowSid = flowSids.get(hostile.name)!;
    const answer = await stack.api('POST', `/v2/Flows/${flowSid}/Executions`, { To: nextContact(), From: '+15550001111', Parameters: JSON.stringify(hostile.parameters) }, 10_000);
    count5xx(row, answer, `start (${hostile.name})`);
    if (answer.status === 201) started.push({ sid: (answer.body as { sid: string }).sid, flowSid, name: hostile.name, outcome: hostile.outcome });
    else if (answer.status < 500 && answer.status !== 0) note(row, `${hostile.name}: start answered ${answer.status}`);
  }
  await waitUntilClosed(stack, started, settleMs);
  row.tried += 1;
  const plain = await stack.api('POST', `/v2/Flows/${plainFlow}/Executions`, { To: nextContact(), From: '+15550001111', Parameters: '{"marker":"plain"}' }, 10_000);
  count5xx(row, plain, 'start (plain flow after the hostile ones)');
  const all = plain.status === 201 ? [...started, { sid: (plain.body as { sid: string }).sid, flowSid: plainFlow, name: 'plain flow' }] : started;
  await waitUntilClosed(stack, all.slice(started.length), 30_000);
  for (const execution of all) {
    const status = await temporalStatus(stack, execution.sid);
    const answer = await stack.api('GET', `/v2/Flows/${execution.flowSid}/Executions/${execution.sid}`, undefined, 10_000);
    count5xx(row, answer, `GET (${execution.name})`);
    if (status === 'RUNNING') {
      row.stuck += 1;
      note(row, `stuck: ${execution.name} still running after ${settleMs / 1000} s`);
      const ended = await stack.api('POST', `/v2/Flows/${execution.flowSid}/Executions/${execution.sid}`, { Status: 'ended' }, 10_000);
      count5xx(row, ended, `Status=ended (${execution.name})`);
      continue;
    }
    const resource = answer.body as { status?: string; context?: Parameters<HostileOutcome>[0] } | undefined;
    const ended = resource?.status === 'ended' && resource.context !== undefined;
    const correct = ended && (execution.outcome ? execution.outcome(resource.context!) : resource.context!.widgets?.set !== undefined);
    if (correct) row.endedCorrectly += 1;
    else note(row, `${execution.name}: ended as ${status}, API ${answer.status} ${answer.text.slice(0, 160)}`);
  }
  await terminateRunning(stack, all);
  return row;
}
