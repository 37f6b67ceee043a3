import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeWorkflowBundle } from '../../src/worker/workflow-bundle';
import { contactNumbers } from '../helpers/contacts';
import { exampleFlow, publish } from '../helpers/flows';
import { type NodeProcess, startWorkerProcess } from '../helpers/processes';
import { startStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/wait';

/** Far less than the 90 s the server's poller records kept a killed worker "ok", far more than a probe takes. */
const NOTICE_WITHIN_MS = 15_000;

/**
 * With the only worker killed, /healthz says so within seconds and calls a worker must answer are a clear 503; a start
 * needs no worker (Temporal keeps the execution until one runs it), so it is accepted.
 */
describe('when no worker runs', () => {
  const bundlePath = join(mkdtempSync(join(tmpdir(), 'studio-bundle-')), 'workflow-bundle.js');
  let stack: TestStack;
  let worker: NodeProcess;
  let surveySid: string;
  let executionSid: string;
  /** Started while no worker ran: Temporal keeps it, and it runs once a worker is back. */
  let startedWithoutWorker: string;
  const nextContact = contactNumbers('+1555470');

  beforeAll(async () => {
    await writeWorkflowBundle(bundlePath);
    stack = await startStack('no-worker', { worker: false });
    worker = await startWorker();
    surveySid = await publish(stack.client.studio.v2, exampleFlow('conversation-survey.json'), 'Survey');
    executionSid = (await stack.client.studio.v2.flows(surveySid).executions.create({ to: nextContact(), from: '+15559990000' })).sid;
    await eventually(async () => stack.conversationsOf(executionSid).find((c) => c.messages.length > 0)); // it waits for a reply
  }, 120_000);

  afterAll(async () => {
    await worker?.kill();
    await stack?.stop();
  });

  async function startWorker(): Promise<NodeProcess> {
    const started = startWorkerProcess(stack.config, { WORKFLOW_BUNDLE_PATH: bundlePath });
    await started.ready;
    return started;
  }

  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${stack.api.url}${path}`, { ...init, headers: { authorization: stack.authorization, ...init.headers } });

  const health = async () => ({ status: (await fetch(`${stack.api.url}/healthz`)).status });

  test('when the only worker is killed, then /healthz says worker down within seconds', async () => {
    await eventually(async () => ((await health()).status === 200 ? true : undefined), NOTICE_WITHIN_MS);

    await worker.kill();

    const response = await eventually(async () => {
      const answer = await fetch(`${stack.api.url}/healthz`);
      return answer.status === 503 ? answer : undefined;
    }, NOTICE_WITHIN_MS);
    expect(await response.json()).toEqual({ temporal: 'ok', worker: expect.stringContaining(`down: no worker is polling task queue '${stack.config.temporal.taskQueue}'`) });
  });

  test('then reads and flow saves answer 503 with code 20503', async () => {
    const requests: Array<[string, RequestInit?]> = [
      [`/v2/Flows/${surveySid}/Executions/${executionSid}`],
      [`/v2/Flows/${surveySid}/Executions/${executionSid}/Steps`],
      [`/v2/Flows/${surveySid}/Executions/${executionSid}/Context`],
      [`/v2/Flows/${surveySid}`],
      [`/v2/Flows/${surveySid}/Revisions`],
      [`/v2/Flows/${surveySid}/Revisions/1`],
      ['/v2/Flows', form({ FriendlyName: 'new', Status: 'draft', Definition: JSON.stringify(exampleFlow('conversation-survey.json')) })],
    ];

    for (const [path, init] of requests) {
      const response = await call(path, init);
      expect({ path, status: response.status, body: await response.json() }).toEqual({
        path,
        status: 503,
        body: { code: 20503, status: 503, message: expect.stringContaining('check that the worker is running'), more_info: 'https://www.twilio.com/docs/errors/20503' },
      });
    }
  });

  test('then an execution start of a flow the API has read is accepted: Temporal keeps it until a worker runs it', async () => {
    const response = await call(`/v2/Flows/${surveySid}/Executions`, form({ To: nextContact(), From: '+15559990000' }));

    expect(response.status).toBe(201);
    startedWithoutWorker = ((await response.json()) as { sid: string }).sid;
    expect((await stack.temporal.workflow.getHandle(startedWithoutWorker).describe()).status.name).toBe('RUNNING');
  });

  test('when a worker starts again, then /healthz and the reads recover', async () => {
    worker = await startWorker();

    await eventually(async () => ((await health()).status === 200 ? true : undefined), NOTICE_WITHIN_MS);
    const execution = await stack.client.studio.v2.flows(surveySid).executions(executionSid).fetch();
    expect(execution.status).toBe('active');
    await stack.client.studio.v2.flows(surveySid).executions(executionSid).update({ status: 'ended' });
    // The execution started while no worker ran has now run to its first prompt.
    await eventually(async () => stack.conversationsOf(startedWithoutWorker).find((c) => c.messages.length > 0));
    await stack.client.studio.v2.flows(surveySid).executions(startedWithoutWorker).update({ status: 'ended' });
  });
});

function form(fields: Record<string, string>): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() };
}
