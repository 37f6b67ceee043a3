import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import type twilio from 'twilio';
import type { DeliveryAttempt } from '../../emulator/records';
import { type RunningDevServer, startDevServer } from '../../scripts/lib/dev-server';
import { freePort } from '../../scripts/lib/free-port';
import { provisionTemporalCli } from '../../scripts/lib/temporal-cli';
import { registerSearchAttributes } from '../../src/services/search-attribute-registration';
import { getExecutionQuery } from '../../src/workflows/contracts/execution-messages';
import { contactNumbers } from '../helpers/contacts';
import { publish, waitForReplyFlow, waitUntilEnded } from '../helpers/flows';
import { recordingMeter } from '../helpers/metrics';
import { startStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/wait';

const PROMPT = 'What do you think?';

/** Each execution waits `flow.data.timeout` s for its reply. */
const flow = waitForReplyFlow(PROMPT, '{{flow.data.timeout}}');

/** About as long as the outage the issue describes. */
const OUTAGE_MS = 30_000;
/** Twilio's schedule as the emulator plays it: 5 s per try, a try and 3 retries 1 s apart (about 17 s in all). */
const WEBHOOKS = { timeoutMs: 5_000, maxRetries: 3, retryDelayMs: 1_000 };

/**
 * No reply lost in a Temporal outage. The test runs a Temporal dev server of its own on a file database, stops it
 * while executions wait for replies, has the contacts answer through the emulator (which delivers the webhooks and
 * retries them as Twilio does, all into the outage), and starts the server again on the same file.
 */
describe('replies sent while the Temporal server is down', () => {
  let server: RunningDevServer;
  let cliPath: string;
  let port: number;
  let dbDir: string;
  let stack: TestStack;
  let studio: twilio.Twilio['studio']['v2'];
  let flowSid: string;
  const meter = recordingMeter();
  const nextContact = contactNumbers('+1555610');

  const startServer = async () => {
    server = await startDevServer({ cliPath, port, dbFile: join(dbDir, 'temporal.sqlite'), readinessTimeoutMs: 90_000 });
  };

  beforeAll(async () => {
    cliPath = process.env.TEMPORAL_TEST_CLI_PATH ?? (await provisionTemporalCli(() => undefined)).path;
    port = await freePort();
    dbDir = mkdtempSync(join(tmpdir(), 'studio-outage-'));
    await startServer();
    const connection = await Connection.connect({ address: server.address });
    await registerSearchAttributes(connection, 'default').finally(() => connection.close());
    stack = await startStack('outage', { temporalAddress: server.address, webhooks: WEBHOOKS, meter });
    studio = stack.client.studio.v2;
    flowSid = await publish(studio, flow, 'Outage');
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await server?.stop();
    rmSync(dbDir, { recursive: true, force: true });
  });

  /** Starts an execution and waits until its prompt is in its conversation. */
  async function startWaiting(timeoutSeconds: number) {
    const to = nextContact();
    const { sid } = await studio.flows(flowSid).executions.create({ to, from: '+15559990000', parameters: { timeout: String(timeoutSeconds) } });
    const conversation = await eventually(async () => stack.conversationsOf(sid).find((c) => c.messages.some((m) => m.body === PROMPT)));
    return { sid, to, conversation, bodies: () => conversation.messages.map((m) => m.body) };
  }

  /** Stops the server, runs `during` (the contacts answer), and starts it again once OUTAGE_MS have passed. */
  async function outage(during: () => Promise<void>): Promise<void> {
    const stopped = Date.now();
    await server.stop();
    await during();
    await new Promise((r) => setTimeout(r, Math.max(0, stopped + OUTAGE_MS - Date.now())));
    await startServer();
  }

  /** Waits until the emulator gave up on every one of `messageSids`' webhooks (a try and all its retries). */
  function allTriesOver(messageSids: string[]): Promise<readonly DeliveryAttempt[]> {
    const tries = WEBHOOKS.maxRetries + 1;
    return stack.twilio.waitForDeliveries((attempts) => messageSids.every((sid) => attempts.filter((a) => a.messageSid === sid).length >= tries), 60_000);
  }

  const stepNames = async (sid: string) => (await studio.flows(flowSid).executions(sid).steps.list()).map((s) => `${s.transitionedFrom}:${s.name}`);

  test('when five contacts answer during a 30 s outage, then every webhook try is answered 503 and each execution takes its reply once, from the API\'s redelivery, and goes on', async () => {
    const executions = await Promise.all([1, 2, 3, 4, 5].map(() => startWaiting(600)));
    const unavailableBefore = meter.total('studio_webhooks', ['outcome', 'unavailable']);
    let attempts: readonly DeliveryAttempt[] = [];

    await outage(async () => {
      const replies = await Promise.all(executions.map(({ conversation, to }, i) => stack.reply(conversation.sid, to, `answer ${i + 1}`)));
      attempts = await allTriesOver(replies.map((r) => (r as { sid: string }).sid));
    });
    await Promise.all(executions.map(({ sid }) => waitUntilEnded(studio, flowSid, sid, 120_000)));

    const tries = 5 * (WEBHOOKS.maxRetries + 1);
    expect(attempts.map((a) => a.status)).toEqual(Array(tries).fill(503)); // each answered, none timed out, none a 500
    expect(meter.total('studio_webhooks', ['outcome', 'unavailable']) - unavailableBefore).toBe(tries);
    for (const [i, execution] of executions.entries()) {
      expect(execution.bodies()).toEqual([PROMPT, `answer ${i + 1}`, `Thanks for: answer ${i + 1}`]);
      expect(await stepNames(execution.sid)).toEqual(['Trigger:incomingRequest', 'start:created', 'ask:incomingMessage', 'thank:sent']);
    }
    expect(meter.total('studio_reply_redeliveries', ['outcome', 'delivered'])).toBeGreaterThanOrEqual(5);
    process.stdout.write(`webhook answer times during the outage (ms): ${attempts.map((a) => a.durationMs).join(', ')}\n`);
  }, 240_000);

  test('when the API also restarts during the outage (its redelivery queue gone), then each execution reads its reply back at its next wake: the timeout, or a later reply', async () => {
    const byTimeout = await startWaiting(20);
    const byLaterReply = await startWaiting(600);
    const droppedBefore = meter.total('studio_reply_redeliveries', ['outcome', 'dropped_shutdown']);

    await outage(async () => {
      const replies = await Promise.all([
        stack.reply(byTimeout.conversation.sid, byTimeout.to, 'answer A'),
        stack.reply(byLaterReply.conversation.sid, byLaterReply.to, 'first B'),
      ]);
      await allTriesOver(replies.map((r) => (r as { sid: string }).sid));
      await stack.restartApi();
    });
    // Back up: the contact of B writes again, and that webhook is delivered; B's widget sees the gap before it.
    await stack.reply(byLaterReply.conversation.sid, byLaterReply.to, 'second B');
    await waitUntilEnded(studio, flowSid, byTimeout.sid, 120_000);
    await waitUntilEnded(studio, flowSid, byLaterReply.sid, 60_000);

    expect(byTimeout.bodies()).toEqual([PROMPT, 'answer A', 'Thanks for: answer A']);
    expect(await stepNames(byTimeout.sid)).toEqual(['Trigger:incomingRequest', 'start:created', 'ask:incomingMessage', 'thank:sent']);
    expect(byLaterReply.bodies()).toEqual([PROMPT, 'first B', 'second B', 'Thanks for: first B']);
    expect(await stepNames(byLaterReply.sid)).toEqual(['Trigger:incomingRequest', 'start:created', 'ask:incomingMessage', 'thank:sent']);
    const view = await stack.temporal.workflow.getHandle(byLaterReply.sid).query(getExecutionQuery);
    expect(view?.warnings).toEqual([expect.objectContaining({ code: 81002, message: expect.stringContaining('after the waiting widget had its reply') })]);
    expect(meter.total('studio_reply_redeliveries', ['outcome', 'dropped_shutdown']) - droppedBefore).toBe(2); // the restart lost them
  }, 240_000);
});
