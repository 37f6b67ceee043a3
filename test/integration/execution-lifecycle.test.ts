import { randomBytes } from 'node:crypto';
import type twilio from 'twilio';
import { arrayFromPayloads, defaultPayloadConverter } from '@temporalio/common';
import { startStudioExecution } from '../../src/client';
import { ExecutionConflictError } from '../../src/services/store-errors';
import { FlowStore } from '../../src/services/flow-store';
import { publish, restFlow, waitUntilEnded } from '../helpers/flows';
import { contactNumbers } from '../helpers/contacts';
import { checkResponsesAndStop, startStack, type TestStack } from '../helpers/stack';
import { startWorker } from '../helpers/temporal';
import { eventually } from '../helpers/wait';

/** Starting, ending, deleting, listing executions; the one-per-contact rule; a worker restart. */
describe('the execution lifecycle', () => {
  let stack: TestStack;
  let studio: twilio.Twilio['studio']['v2'];
  let waitingFlow: string;
  const nextContact = contactNumbers('+1555100');
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${stack.api.url}${path}`, {
      ...init,
      headers: { authorization: stack.authorization, 'content-type': 'application/x-www-form-urlencoded', ...init.headers },
    });

  beforeAll(async () => {
    stack = await startStack('lifecycle');
    studio = stack.client.studio.v2;
    waitingFlow = await publish(
      studio,
      restFlow({ name: 'ask', type: 'send-and-wait-for-reply', transitions: [{ event: 'incomingMessage' }, { event: 'timeout' }], properties: { body: 'Anyone there?', timeout: '3600' } }),
    );
  });

  afterAll(() => checkResponsesAndStop(stack));

  test('when Status=ended is posted while a widget waits, then the execution ends at once with a last step', async () => {
    const { sid } = await studio.flows(waitingFlow).executions.create({ to: nextContact(), from: '+15559990000' });

    const ended = await studio.flows(waitingFlow).executions(sid).update({ status: 'ended' });

    expect(ended.status).toBe('ended');
    const steps = await studio.flows(waitingFlow).executions(sid).steps.list();
    expect(steps.map((s) => [s.name, s.transitionedFrom, s.transitionedTo])).toEqual([
      ['incomingRequest', 'Trigger', 'ask'],
      ['ended', 'ask', 'Ended'],
    ]);
    await expect(studio.flows(waitingFlow).executions(sid).update({ status: 'ended' })).rejects.toMatchObject({ status: 400, code: 20001 });
  });

  test('when an active execution is deleted, then it and its history are gone at once and its contact is free', async () => {
    const to = nextContact();
    const { sid } = await studio.flows(waitingFlow).executions.create({ to, from: '+15559990000' });

    expect(await studio.flows(waitingFlow).executions(sid).remove()).toBe(true);

    await expect(studio.flows(waitingFlow).executions(sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(stack.temporal.workflow.getHandle(sid).describe()).rejects.toThrow(/not found/i);
    const again = await eventually(() => studio.flows(waitingFlow).executions.create({ to, from: '+15559990000' }));
    expect(again.status).toBe('active');
  });

  test('when an ended execution is deleted, then it is gone once the server has removed it', async () => {
    const { sid } = await studio.flows(waitingFlow).executions.create({ to: nextContact(), from: '+15559990000' });
    await studio.flows(waitingFlow).executions(sid).update({ status: 'ended' });

    expect(await studio.flows(waitingFlow).executions(sid).remove()).toBe(true);

    // Temporal removes closed workflows in the background (about half a minute on the dev server).
    await eventually(() => studio.flows(waitingFlow).executions(sid).fetch().then(() => undefined, (err: { status?: number }) => (err.status === 404 ? true : undefined)), 90_000, 1_000);
  }, 120_000);

  test('when 20 creates for one contact race, then exactly one gets 201 and the others 409 naming it', async () => {
    const to = nextContact();
    const body = new URLSearchParams({ To: to, From: '+15559990000' }).toString();

    const responses = await Promise.all(Array.from({ length: 20 }, () => api(`/v2/Flows/${waitingFlow}/Executions`, { method: 'POST', body })));

    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const winner = (await responses.find((r) => r.status === 201)!.json()) as { sid: string };
    const loser = (await responses.find((r) => r.status === 409)!.json()) as { code: number; message: string };
    expect(loser.code).toBe(20409);
    expect(loser.message).toContain(winner.sid);
    await expect(startStudioExecution(stack.temporal, { flowSid: waitingFlow, to, from: '+1', taskQueue: stack.config.temporal.taskQueue })).rejects.toBeInstanceOf(ExecutionConflictError);
  });

  test('when an execution ends, then the same contact can start a new one', async () => {
    const to = nextContact();
    const first = await studio.flows(waitingFlow).executions.create({ to, from: '+15559990000' });
    await studio.flows(waitingFlow).executions(first.sid).update({ status: 'ended' });

    const second = await eventually(() => studio.flows(waitingFlow).executions.create({ to, from: '+15559990000' }));

    expect(second.sid).not.toBe(first.sid);
  });

  test('when an execution reaches its end by itself, then its contact lock is not left Running', async () => {
    const quick = await publish(studio, restFlow({ name: 'note', type: 'set-variables', transitions: [{ event: 'next' }], properties: {} }));
    const to = nextContact();
    const { sid } = await studio.flows(quick).executions.create({ to, from: '+1' });
    await waitUntilEnded(studio, quick, sid);
    await stack.temporal.workflow.getHandle(sid).result();

    // The execution releases its lock before its workflow closes, so it is gone by the time the result is in.
    const lock = await stack.temporal.workflow.getHandle(`${quick}/contacts/${to}`).describe();
    expect(lock.status.name).toBe('TERMINATED');
  });

  test('when an execution reaches its end, then the contact’s next create frees the lock it left', async () => {
    const quick = await publish(studio, restFlow({ name: 'note', type: 'set-variables', transitions: [{ event: 'next' }], properties: {} }));
    const to = nextContact();
    const first = await studio.flows(quick).executions.create({ to, from: '+1' });
    await waitUntilEnded(studio, quick, first.sid);

    const second = await studio.flows(quick).executions.create({ to, from: '+1' });

    expect(second.sid).not.toBe(first.sid);
    const lock = await stack.temporal.workflow.getHandle(`${quick}/contacts/${to}`).describe();
    expect(lock.memo).toEqual({ execution_sid: second.sid });
    expect(await lock.staticSummary()).toBe(`Lock: ${to} has active execution ${second.sid} of ${quick}`);
  });

  test.each([
    ['no To', `From=%2B1`, 400, 20001],
    ['no From', `To=%2B1`, 400, 20001],
    ['Parameters that are not JSON', `To=%2B1&From=%2B2&Parameters=%7Bnope`, 400, 20001],
    ['Parameters that are a JSON array', `To=%2B1&From=%2B2&Parameters=%5B1%5D`, 400, 20001],
  ])('when a create has %s (body %s), then it answers %i with code %i', async (_what, body, status, code) => {
    const response = await api(`/v2/Flows/${waitingFlow}/Executions`, { method: 'POST', body });
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ code, status });
  });

  test('when the flow does not exist, then create answers 404; when it was never published, 400', async () => {
    await expect(studio.flows(`FW${'0'.repeat(32)}`).executions.create({ to: '+1', from: '+2' })).rejects.toMatchObject({ status: 404, code: 20404 });
    const draft = (await studio.flows.create({ friendlyName: 'draft', status: 'draft', definition: restFlow() })).sid;
    const error = await studio.flows(draft).executions.create({ to: '+1', from: '+2' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 20001, message: expect.stringContaining('no published revision') });
  });

  test('when an execution or step does not exist, then reads answer 404', async () => {
    const missing = `FN${randomBytes(16).toString('hex')}`;
    await expect(studio.flows(waitingFlow).executions(missing).fetch()).rejects.toMatchObject({ status: 404 });
    const { sid } = await studio.flows(waitingFlow).executions.create({ to: nextContact(), from: '+1' });
    await expect(studio.flows(waitingFlow).executions(sid).steps(`FT${'0'.repeat(32)}`).fetch()).rejects.toMatchObject({ status: 404 });
    const otherFlow = await publish(studio, restFlow());
    await expect(studio.flows(otherFlow).executions(sid).fetch()).rejects.toMatchObject({ status: 404 });
  });

  test('when executions are listed, then Status and date filters apply and pages follow', async () => {
    const flowSid = await publish(studio, restFlow({ name: 'ask', type: 'send-and-wait-for-reply', transitions: [], properties: { body: 'q', timeout: '3600' } }));
    const since = new Date(Date.now() - 1000);
    const sids = [];
    for (let i = 0; i < 3; i++) sids.push((await studio.flows(flowSid).executions.create({ to: nextContact(), from: '+1' })).sid);
    await studio.flows(flowSid).executions(sids[0]!).update({ status: 'ended' });

    const all = await eventually(async () => {
      const list = await studio.flows(flowSid).executions.list({ pageSize: 2 });
      return list.length === 3 ? list : undefined;
    });
    expect(all.map((e) => e.sid).sort()).toEqual([...sids].sort());
    // Status filters read visibility, which follows the workflows' own closing by a moment.
    const listed = (status: string) => studio.flows(flowSid).executions.list({ status } as never).then((list) => list.map((e) => e.sid).sort());
    await eventually(async () => ((await listed('ended')).length === 1 ? true : undefined));
    expect(await listed('active')).toEqual([sids[1], sids[2]].sort());
    expect(await listed('ended')).toEqual([sids[0]]);
    expect(await studio.flows(flowSid).executions.list({ dateCreatedFrom: since })).toHaveLength(3);
    expect(await studio.flows(flowSid).executions.list({ dateCreatedTo: since })).toHaveLength(0);
  });

  test('when the worker stops mid-execution and a new one starts, then the execution completes with nothing repeated', async () => {
    const flowSid = await publish(
      studio,
      restFlow(
        { name: 'first', type: 'send-message', transitions: [{ event: 'sent', next: 'pause' }], properties: { body: 'one' } },
        { name: 'pause', type: 'send-and-wait-for-reply', transitions: [{ event: 'timeout', next: 'last' }], properties: { body: 'two', timeout: '2' } },
        { name: 'last', type: 'send-message', transitions: [{ event: 'sent' }], properties: { body: 'three' } },
      ),
    );
    const to = nextContact();
    const bodies = () => [...stack.twilio.store.messagingMessages.values()].filter((m) => m.to === to).map((m) => m.body);
    const { sid } = await studio.flows(flowSid).executions.create({ to, from: '+15559990000' });
    await eventually(async () => (bodies().length === 2 ? true : undefined));

    await stack.worker.stop();
    await new Promise((r) => setTimeout(r, 2500)); // the reply timeout fires while no worker runs
    stack.worker = await startWorker(stack.config);

    const execution = await waitUntilEnded(studio, flowSid, sid);
    expect(bodies()).toEqual(['one', 'two', 'three']);
    expect((await studio.flows(flowSid).executions(sid).steps.list()).map((s) => s.name)).toEqual(['incomingRequest', 'sent', 'timeout', 'sent']);
    expect(execution.status).toBe('ended');
  });

  test('when an operator starts an execution with the helper or the Temporal client alone, then the API shows it', async () => {
    const flowSid = await publish(studio, restFlow({ name: 'note', type: 'set-variables', transitions: [{ event: 'next' }], properties: { variables: [{ key: 'who', value: '{{flow.data.who}}' }] } }));

    const viaHelper = await startStudioExecution(stack.temporal, { flowSid, to: nextContact(), from: '+1', parameters: { who: 'helper' }, taskQueue: stack.config.temporal.taskQueue });
    const cliSid = `FN${randomBytes(16).toString('hex')}`;
    // What `temporal workflow start --type executionWorkflow --input '{…}'` sends: no definition, just the flow SID.
    await stack.temporal.workflow.start('executionWorkflow', {
      workflowId: cliSid,
      taskQueue: stack.config.temporal.taskQueue,
      args: [{ flowSid, to: nextContact(), from: '+1', parameters: { who: 'cli' } }],
    });

    // The helper's task queue says where the execution runs: it is not part of the input every history keeps.
    const history = await stack.temporal.workflow.getHandle(viaHelper.sid).fetchHistory();
    const [input] = await arrayFromPayloads(defaultPayloadConverter, history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!);
    expect(Object.keys(input as object).sort()).toEqual(['definition', 'flowName', 'flowRevision', 'flowSid', 'from', 'parameters', 'to']);
    for (const [sid, who] of [[viaHelper.sid, 'helper'], [cliSid, 'cli']] as const) {
      const execution = await waitUntilEnded(studio, flowSid, sid);
      expect(execution.flowVersion).toBe(1);
      expect((execution.context as { flow: { variables: object } }).flow.variables).toEqual({ who });
    }
    const listed = await eventually(async () => {
      const list = await studio.flows(flowSid).executions.list();
      return list.length === 2 ? list : undefined;
    });
    expect(listed.map((e) => e.sid).sort()).toEqual([viaHelper.sid, cliSid].sort());
    // Both name their flow in the memo the Temporal UI shows; the CLI-started one read the name with the revision.
    for (const sid of [viaHelper.sid, cliSid]) {
      const { memo } = await stack.temporal.workflow.getHandle(sid).describe();
      expect(memo).toMatchObject({ execution: { flow_sid: flowSid, flow_name: 'test flow', flow_version: 1 } });
    }
  });

  test('when a flow is deleted and created again under its SID, then new executions run the new definition', async () => {
    // What loading the example flows does after an operator deleted one: the same SID, a new flow, revision 1 again.
    const store = new FlowStore(stack.temporal, stack.config.temporal.taskQueue);
    const flowSid = `FW${randomBytes(16).toString('hex')}`;
    const noting = (who: string) => restFlow({ name: 'note', type: 'set-variables', transitions: [{ event: 'next' }], properties: { variables: [{ key: 'who', value: who }] } });
    const variablesOf = async () => {
      const { sid } = await studio.flows(flowSid).executions.create({ to: nextContact(), from: '+1' });
      return ((await waitUntilEnded(studio, flowSid, sid)).context as { flow: { variables: object } }).flow.variables;
    };
    await store.save({ friendly_name: 'again', status: 'published', definition: noting('old') }, { sid: flowSid });
    expect(await variablesOf()).toEqual({ who: 'old' }); // the API has now read (and kept) revision 1

    await studio.flows(flowSid).remove();
    // The deleted flow's workflow closes right after the delete answers; until then a save under its SID is refused.
    const recreated = await eventually(() => store.save({ friendly_name: 'again', status: 'published', definition: noting('new') }, { sid: flowSid }));
    expect(recreated.revision).toBe(1);

    expect(await variablesOf()).toEqual({ who: 'new' });
  });

  test('when an execution continues-as-new, then all its steps and every step context still read back', async () => {
    const counting = restFlow(
      { name: 'count', type: 'set-variables', transitions: [{ event: 'next', next: 'call' }], properties: { variables: [{ key: 'n', value: '{{flow.variables.n | default: 0 | plus: 1}}' }] } },
      { name: 'call', type: 'make-http-request', transitions: [{ event: 'success', next: 'more' }, { event: 'failed', next: 'more' }], properties: { method: 'GET', url: `${stack.api.url}/healthz` } },
      {
        name: 'more',
        type: 'split-based-on',
        properties: { input: '{{flow.variables.n}}' },
        transitions: [{ event: 'noMatch' }, { event: 'match', next: 'count', conditions: [{ friendly_name: 'n < 6', arguments: ['{{flow.variables.n}}'], type: 'less_than', value: '6' }] }],
      },
    );
    const flowSid = await publish(studio, counting);
    const sid = `FN${randomBytes(16).toString('hex')}`;
    await stack.temporal.workflow.start('executionWorkflow', {
      workflowId: sid,
      taskQueue: stack.config.temporal.taskQueue,
      args: [{ flowSid, to: nextContact(), from: '+1', continueAsNewAfterEvents: 12 }],
    });

    await waitUntilEnded(studio, flowSid, sid);

    const runs = await eventually(async () => {
      const list = [];
      for await (const run of stack.temporal.workflow.list({ query: `WorkflowId = '${sid}'` })) list.push(run.status.name);
      return list.length > 2 ? list : undefined;
    });
    expect(runs.filter((status) => status === 'CONTINUED_AS_NEW').length).toBeGreaterThanOrEqual(2);
    const steps = await studio.flows(flowSid).executions(sid).steps.list();
    expect(steps.map((s) => s.name)).toEqual(['incomingRequest', ...Array(6).fill(['next', 'success', 'match']).flat().slice(0, 17), 'noMatch']);
    const second = steps.find((s) => s.name === 'next' && s !== steps[1])!;
    const context = await studio.flows(flowSid).executions(sid).steps(second.sid).stepContext().fetch();
    // A number, as Studio's Set Variables stores an unquoted one (the rules the execution started with survive continue-as-new).
    expect((context.context as { flow: { variables: { n: unknown } } }).flow.variables.n).toBe(2);
    expect(second.context).toEqual({ flow: { variables: { n: 2 } }, widgets: { count: { n: 2 } } });
    expect((await studio.flows(flowSid).executions.list()).map((e) => e.sid)).toEqual([sid]);
  });
});
