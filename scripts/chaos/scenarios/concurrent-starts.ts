import { count5xx, nextContact, terminateRunning, waitUntilClosed } from '../executions';
import { newRow, note, type Row } from '../measure';
import type { ChaosStack } from '../stack';

/**
 * 20 starts at once for the same (flow, contact): Studio allows one active execution per contact, so exactly one
 * answers 201 and the other 19 answer 409 with code 20409. A try is one contact's burst; it ended correctly when
 * that rule held and the winner then ends on `Status=ended`. Each extra 201 is a duplicate.
 */
export async function concurrentStarts(stack: ChaosStack, flowSid: string, contacts: number, perContact = 20): Promise<Row> {
  const row = newRow(`${perContact} concurrent starts per contact`);
  stack.counter = row;
  const winners: Array<{ sid: string }> = [];
  for (let c = 0; c < contacts; c += 1) {
    row.tried += 1;
    const to = nextContact();
    const answers = await Promise.all(
      Array.from({ length: perContact }, (_, i) => stack.api('POST', `/v2/Flows/${flowSid}/Executions`, { To: to, From: '+15550001111', Parameters: JSON.stringify({ marker: `cs${c}-${i}` }) })),
    );
    for (const answer of answers) count5xx(row, answer, 'concurrent POST …/Executions');
    const created = answers.filter((a) => a.status === 201);
    const conflicts = answers.filter((a) => a.status === 409 && (a.body as { code?: number } | undefined)?.code === 20409);
    row.duplicated += Math.max(0, created.length - 1);
    if (created.length > 1) note(row, `${created.length} executions created for one contact`);
    const other = answers.filter((a) => a.status !== 201 && !conflicts.includes(a));
    if (other.length > 0) note(row, `answers other than 201/409-20409: ${[...new Set(other.map((a) => `${a.status} ${a.text.slice(0, 80)}`))].join('; ')}`);
    const sids = created.map((a) => (a.body as { sid: string }).sid);
    winners.push(...sids.map((sid) => ({ sid })));
    let ended = true;
    for (const sid of sids) {
      const end = await stack.api('POST', `/v2/Flows/${flowSid}/Executions/${sid}`, { Status: 'ended' });
      count5xx(row, end, 'Status=ended');
      ended &&= end.status === 200;
    }
    await waitUntilClosed(stack, sids.map((sid) => ({ sid })), 20_000);
    for (const sid of sids) {
      const status = (await stack.temporalClient.workflow.getHandle(sid).describe().catch(() => undefined))?.status.name;
      if (status === 'RUNNING') {
        row.stuck += 1;
        ended = false;
        note(row, `stuck: ${sid} still running after Status=ended`);
      }
    }
    if (created.length === 1 && conflicts.length === perContact - 1 && ended) row.endedCorrectly += 1;
  }
  await terminateRunning(stack, winners);
  return row;
}
