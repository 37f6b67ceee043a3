import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import twilio from 'twilio';
import { createEmulator, type Emulator, type RunningEmulator } from '../../emulator/emulator';
import { freePort } from '../../scripts/lib/free-port';
import type { Config } from '../../src/config';
import { writeWorkflowBundle } from '../../src/worker/workflow-bundle';
import { devCredentials, testConfig } from '../helpers/config';
import { contactNumbers } from '../helpers/contacts';
import { exampleFlow, publish, restFlow, waitUntilEnded } from '../helpers/flows';
import { startHttpService } from '../helpers/http-service';
import { type NodeProcess, startApiProcess, startWorkerProcess } from '../helpers/processes';
import { connectClient, uniqueTaskQueue } from '../helpers/temporal';
import { recordingTwilioClient } from '../helpers/twilio-client';
import { eventually } from '../helpers/wait';

/**
 * The worker and the API as they run in production: separate processes started by their entry points, the worker
 * from the bundle `npm run build` writes, each with a Prometheus endpoint, logging JSON lines, stopped by SIGTERM.
 */
describe('the worker and the API as processes', () => {
  const bundlePath = join(mkdtempSync(join(tmpdir(), 'studio-bundle-')), 'workflow-bundle.js');
  let emulator: Emulator;
  let emulatorServer: RunningEmulator;
  let credentials: { accountSid: string; authToken: string };
  const running: NodeProcess[] = [];
  const nextContact = contactNumbers('+1555900');

  beforeAll(async () => {
    await writeWorkflowBundle(bundlePath);
    credentials = devCredentials();
    emulator = createEmulator(credentials);
    emulatorServer = await emulator.listen(0);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(running.map((p) => p.kill()));
    await emulatorServer?.close();
  });

  async function processConfig(name: string): Promise<Config> {
    const port = await freePort();
    return testConfig({
      TWILIO_ACCOUNT_SID: credentials.accountSid,
      TWILIO_AUTH_TOKEN: credentials.authToken,
      TWILIO_API_BASE_URL: emulatorServer.url,
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      TEMPORAL_TASK_QUEUE: uniqueTaskQueue(name),
    });
  }

  function track(process: NodeProcess): NodeProcess {
    running.push(process);
    return process;
  }

  const studioOf = (config: Config) => recordingTwilioClient(config.publicBaseUrl, config.twilio.accountSid, config.twilio.authToken).client.studio.v2;

  test('a survey played through them: the worker starts from the prebuilt bundle, both log JSON with the execution SID and serve metrics', async () => {
    const config = await processConfig('processes');
    const [workerMetrics, apiMetrics] = [await freePort(), await freePort()];
    const worker = track(startWorkerProcess(config, { WORKFLOW_BUNDLE_PATH: bundlePath, METRICS_PORT: String(workerMetrics) }));
    const api = track(startApiProcess(config, { METRICS_PORT: String(apiMetrics) }));
    await Promise.all([worker.ready, api.ready]);

    const studio = studioOf(config);
    const flowSid = await publish(studio, exampleFlow('conversation-survey.json'), 'Survey');
    const contact = nextContact();
    const { sid } = await studio.flows(flowSid).executions.create({ to: contact, from: '+15559990000', parameters: { name: 'Ada' } });
    const conversation = await eventually(async () => [...emulator.store.conversations.values()].find((c) => [...c.participants.values()].some((p) => p.address === contact)));
    await eventually(async () => (conversation.messages.length > 0 ? true : undefined));
    const emulatorClient = recordingTwilioClient(emulatorServer.url, config.twilio.accountSid, config.twilio.authToken).client;
    await emulatorClient.conversations.v1.conversations(conversation.sid).messages.create({ author: contact, body: '5', xTwilioWebhookEnabled: 'true' });
    await waitUntilEnded(studio, flowSid, sid);

    const ended = { level: 'info', msg: 'execution ended', executionSid: sid, workflowId: sid, sdk: 'workflow' };
    await eventually(async () => (worker.logLines().some((line) => line.msg === 'execution ended') ? true : undefined));
    const workerLines = worker.logLines();
    expect(workerLines).toContainEqual(expect.objectContaining({ component: 'worker', msg: 'workflow bundle: prebuilt', path: bundlePath }));
    expect(worker.output()).not.toContain('built at start');
    expect(workerLines).toContainEqual(expect.objectContaining(ended));
    expect(workerLines).toContainEqual(expect.objectContaining({ msg: 'execution started', executionSid: sid, flowSid, flowRevision: 1, contact }));
    const apiLines = api.logLines();
    expect(apiLines).toContainEqual(expect.objectContaining({ component: 'api', msg: 'request', method: 'POST', route: '/v2/Flows/{FW}/Executions', status: 201, flowSid }));
    expect(apiLines).toContainEqual(expect.objectContaining({ msg: 'request', route: '/webhooks/conversations/{FN}/{CH}', status: 200, executionSid: sid }));

    const workerScrape = await eventually(async () => {
      const text = await (await fetch(`http://127.0.0.1:${workerMetrics}/metrics`)).text();
      return text.includes('temporal_workflow_completed') ? text : undefined;
    });
    const studioLines = workerScrape.split('\n').filter((line) => line.startsWith('studio_'));
    expect(studioLines).toContainEqual(expect.stringMatching(/^studio_executions_ended\{(?=.*outcome="completed")(?=.*kind="execution").*\} 1$/));
    expect(studioLines).toContainEqual(expect.stringMatching(/^studio_steps\{(?=.*widget_type="send-and-wait-for-reply")(?=.*event="incomingMessage").*\} 1$/));
    expect(studioLines).toContainEqual(expect.stringMatching(/^studio_steps\{(?=.*widget_type="trigger")(?=.*event="incomingRequest").*\} 1$/));
    expect(workerScrape).toMatch(/^temporal_activity_execution_latency_bucket\{.*activity_type="sendConversationMessage"/m);
    expect(workerScrape).toMatch(new RegExp(`^temporal_workflow_completed\\{.*task_queue="${config.temporal.taskQueue}".*workflow_type="executionWorkflow".*\\} [1-9]`, 'm'));
    const apiScrape = await (await fetch(`http://127.0.0.1:${apiMetrics}/metrics`)).text();
    expect(apiScrape).toMatch(/^studio_api_requests\{method="POST",route="\/v2\/Flows\/\{FW\}\/Executions",status="201"\} 1$/m);
    expect(apiScrape).toMatch(/^studio_webhooks\{outcome="delivered"\} 1$/m);
    expect(apiScrape).toMatch(/^studio_api_request_duration_bucket\{method="POST",route="\/v2\/Flows\/\{FW\}\/Executions",le="0.005"\} /m);
  });

  test('a metrics port already in use stops the worker at start, naming METRICS_PORT', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
    try {
      const port = (taken.address() as AddressInfo).port;
      const worker = track(startWorkerProcess(await processConfig('metrics-port'), { WORKFLOW_BUNDLE_PATH: bundlePath, METRICS_PORT: String(port) }));
      expect(await worker.exited).toBe(1);
      expect(worker.output()).toContain(`METRICS_PORT ${port}: cannot serve metrics`);
      expect(worker.output()).toMatch(/[Aa]ddress already in use/);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  test('SIGTERM drains the worker: the HTTP request in flight completes once, and the next worker carries on without repeating it', async () => {
    const slow = await startHttpService({ '/slow': { status: 200, type: 'application/json', body: '{"ok":true}', delayMs: 2_500 } });
    try {
      const config = await processConfig('drain');
      const api = track(startApiProcess(config));
      const first = track(startWorkerProcess(config, { WORKFLOW_BUNDLE_PATH: bundlePath }));
      await Promise.all([api.ready, first.ready]);
      const studio = studioOf(config);
      const flowSid = await publish(
        studio,
        restFlow(
          { name: 'lookup', type: 'make-http-request', transitions: [{ event: 'success', next: 'done' }, { event: 'failed' }], properties: { method: 'GET', url: `${slow.url}/slow` } },
          { name: 'done', type: 'set-variables', transitions: [{ event: 'next' }], properties: { variables: [{ key: 'looked_up', value: '{{widgets.lookup.parsed.ok}}' }] } },
        ),
        'Slow lookup',
      );
      const { sid } = await studio.flows(flowSid).executions.create({ to: nextContact(), from: '+15559990000' });
      await eventually(async () => (slow.requests.length > 0 ? true : undefined));

      await first.stop(); // SIGTERM while the request is in flight
      expect(await first.exited).toBe(0);
      expect(first.logLines().map((line) => line.msg)).toEqual(expect.arrayContaining(['worker drained and stopped']));
      const temporal = await connectClient();
      try {
        const history = await temporal.workflow.getHandle(sid).fetchHistory();
        const completed = (history.events ?? []).filter((event) => event.activityTaskCompletedEventAttributes);
        expect(completed).toHaveLength(1); // the HTTP request finished, not cancelled
        expect((history.events ?? []).some((event) => event.activityTaskFailedEventAttributes || event.activityTaskTimedOutEventAttributes)).toBe(false);
      } finally {
        await temporal.connection.close();
      }

      const second = track(startWorkerProcess(config, { WORKFLOW_BUNDLE_PATH: bundlePath }));
      await second.ready;
      const ended = await waitUntilEnded(studio, flowSid, sid);
      expect((ended.context as { flow: { variables: object } }).flow.variables).toEqual({ looked_up: 'true' });
      expect(slow.requests).toHaveLength(1);
      await second.stop();
      await api.stop();
    } finally {
      await slow.close();
    }
  });

  test('SIGTERM drains the API: it stops accepting, answers the webhook already in flight, then exits 0', async () => {
    const config = await processConfig('api-drain');
    const api = track(startApiProcess(config));
    await api.ready;
    const path = `/webhooks/conversations/FN${'0'.repeat(32)}`;
    const params = { EventType: 'onMessageAdded', MessageSid: `IM${'1'.repeat(32)}`, ConversationSid: `CH${'2'.repeat(32)}`, Author: '+15551230000', Body: 'hello' };
    const body = new URLSearchParams(params).toString();
    const signature = twilio.getExpectedTwilioSignature(config.twilio.authToken, `${config.publicBaseUrl}${path}`, params);

    const socket = await openSocket(config.port);
    const answer = readAll(socket);
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${config.port}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Twilio-Signature: ${signature}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200)); // the request is in flight: headers and part of the body
    api.process.kill('SIGTERM');
    await eventually(async () => ((await openSocket(config.port).then((s) => (s.destroy(), false), () => true)) ? true : undefined), 5_000, 50);

    socket.write(body.slice(10));
    const response = await answer;
    expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(response).toMatch(/\r\nConnection: close\r\n/i);
    expect(response).toContain('{"ignored":"no active execution"}');
    expect(await api.exited).toBe(0);
    expect(api.logLines().map((line) => line.msg)).toEqual(expect.arrayContaining(['SIGTERM received: answering requests in flight, accepting no new ones', 'api stopped']));
  });
});

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

function readAll(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('close', () => resolve(text));
  });
}
