import { randomBytes, randomUUID } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { twilioDate } from '../../src/flow/dates';
import { ContactLocks } from '../../src/services/contact-locks';
import { contactLockId } from '../../src/workflows/contracts/contact-lock';
import { executionStartAttributes } from '../../src/workflows/contracts/execution-memo';
import type { ExecutionInput } from '../../src/workflows/contracts/execution-messages';
import { contactNumbers } from '../helpers/contacts';
import { exampleFlow, publish } from '../helpers/flows';
import { startStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/wait';

/**
 * An execution whose workflow task fails on every attempt (here: an operator started it through the Temporal client
 * with an input the worker cannot read) can still be read, ended and deleted through the API, with a clear answer.
 */
describe('an execution whose workflow task keeps failing', () => {
  let stack: TestStack;
  let flowSid: string;
  const nextContact = contactNumbers('+1555480');

  beforeAll(async () => {
    stack = await startStack('stuck');
    flowSid = await publish(stack.client.studio.v2, exampleFlow('conversation-survey.json'), 'Survey');
  });

  afterAll(() => stack?.stop());

  /**
   * Starts it as ExecutionCommands.start would (contact lock, memo), but with an input no worker can decode (an unknown
   * payload encoding), so its workflow task fails on every attempt whatever the workflow code does; waits for the
   * second failed attempt.
   */
  async function startStuck(): Promise<{ sid: string; to: string }> {
    const sid = `FN${randomBytes(16).toString('hex')}`;
    const to = nextContact();
    const input = { flowSid, to, from: '+15559990000', parameters: {}, flowRevision: 1, flowName: 'Survey' } as ExecutionInput;
    await new ContactLocks(stack.temporal, stack.config.temporal.taskQueue).acquire(flowSid, to, sid);
    const { memo } = executionStartAttributes(input, twilioDate(new Date()));
    await stack.temporal.workflowService.startWorkflowExecution({
      namespace: 'default',
      workflowId: sid,
      requestId: randomUUID(),
      workflowType: { name: 'executionWorkflow' },
      taskQueue: { name: stack.config.temporal.taskQueue },
      input: { payloads: [{ metadata: { encoding: Buffer.from('binary/unreadable') }, data: Buffer.from('?') }] },
      memo: { fields: { execution: defaultPayloadConverter.toPayload(memo.execution) } },
    });
    await eventually(async () => ((await stack.temporal.workflow.getHandle(sid).describe()).raw.pendingWorkflowTask?.attempt ?? 0) >= 2 || undefined);
    return { sid, to };
  }

  async function lockHolder(to: string): Promise<string | undefined> {
    const lock = await stack.temporal.workflow.getHandle(contactLockId(flowSid, to)).describe().catch(() => undefined);
    return lock?.status.name === 'RUNNING' ? String(lock.memo?.execution_sid) : undefined;
  }

  test('when it is read, then it answers as active from what Temporal knows of it, and its steps say why they cannot be read', async () => {
    const { sid, to } = await startStuck();

    const execution = await stack.client.studio.v2.flows(flowSid).executions(sid).fetch();

    expect(execution).toMatchObject({ sid, status: 'active', contactChannelAddress: to, flowSid });
    const steps = await fetch(`${stack.api.url}/v2/Flows/${flowSid}/Executions/${sid}/Steps`, { headers: { authorization: stack.authorization } });
    expect(steps.status).toBe(503);
    expect(await steps.json()).toMatchObject({
      code: 20503,
      message: expect.stringMatching(
        new RegExp(`^Execution ${sid} cannot be read: its workflow task failed on \\d+ attempts? \\(last: Unknown encoding: binary/unreadable\\); end it \\(Status=ended\\) or delete it$`),
      ),
    });
    await stack.client.studio.v2.flows(flowSid).executions(sid).remove();
  });

  test('when Status=ended is posted, then it is terminated with a reason naming the failure, its contact freed, and the answer says ended', async () => {
    const { sid, to } = await startStuck();
    expect(await lockHolder(to)).toBe(sid);

    const execution = await stack.client.studio.v2.flows(flowSid).executions(sid).update({ status: 'ended' });

    expect(execution).toMatchObject({ sid, status: 'ended', contactChannelAddress: to });
    const description = await stack.temporal.workflow.getHandle(sid).describe();
    expect(description.status.name).toBe('TERMINATED');
    const { events } = await stack.temporal.workflow.getHandle(sid).fetchHistory();
    const reason = events?.at(-1)?.workflowExecutionTerminatedEventAttributes?.reason;
    expect(reason).toMatch(/^Status=ended: its workflow task failed on \d+ attempts? \(last: Unknown encoding: binary\/unreadable\), so it was terminated without its cleanup/);
    expect(await lockHolder(to)).toBeUndefined();
    // Ended is ended: a second Status=ended is Studio's 400, not a 500.
    await expect(stack.client.studio.v2.flows(flowSid).executions(sid).update({ status: 'ended' })).rejects.toMatchObject({ status: 400 });
  });

  test('when it is deleted, then 204, it is gone and its contact is free', async () => {
    const { sid, to } = await startStuck();

    expect(await stack.client.studio.v2.flows(flowSid).executions(sid).remove()).toBe(true);

    await expect(stack.temporal.workflow.getHandle(sid).describe()).rejects.toThrow(/not found/i);
    expect(await lockHolder(to)).toBeUndefined();
  });
});
