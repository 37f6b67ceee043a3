import type { Client } from '@temporalio/client';
import { type MetricMeter, noopMetricMeter } from '@temporalio/common';
import type twilio from 'twilio';
import { createEmulator, type Emulator, type RunningEmulator } from '../../emulator/emulator';
import type { ConversationRecord } from '../../emulator/records';
import { executionConversationPrefix } from '../../src/activities/twilio/conversations';
import { createApp } from '../../src/api/app';
import { basicAuthorization, type Config } from '../../src/config';
import { createLogger, type Logger, silentLogger } from '../../src/logger';
import { API_RETRY_BUDGET_MS, createLazyClient } from '../../src/services/connection';
import { deliverReply, SIGNAL_DEADLINE_MS } from '../../src/services/reply-delivery';
import { ReplyRedelivery } from '../../src/services/reply-redelivery';
import { type BoundServer, bindFreePort } from './api';
import { devCredentials, testConfig } from './config';
import { eventually } from './wait';
import { connectClient, type RunningWorker, startWorker, uniqueTaskQueue } from './temporal';
import { OpenApiResponses } from './openapi';
import { type RecordedResponse, recordingTwilioClient } from './twilio-client';

export interface TestStack {
  readonly config: Config;
  /** Replaced by {@link TestStack.restartApi}, at the same URL. */
  api: BoundServer;
  /** Replaceable, for tests that restart the worker; `stop` stops whichever is current. None with `worker: false`. */
  worker: RunningWorker;
  readonly temporal: Client;
  /** The Twilio emulator every Twilio call of the worker goes to, with the same credentials as the API. */
  readonly twilio: Emulator;
  readonly twilioServer: RunningEmulator;
  /** The official twilio client pointed at the API (responses recorded in `responses`). */
  readonly client: twilio.Twilio;
  readonly responses: RecordedResponse[];
  /** The official twilio client pointed at the emulator: how a test speaks as Twilio or as the participant. */
  readonly emulatorClient: twilio.Twilio;
  /** HTTP Basic authorization for the API and the emulator. */
  readonly authorization: string;
  /** Every successful Studio API answer the client got, checked against Twilio's OpenAPI file: the problems. */
  nonConformingResponses(): string[];
  /** The conversations an execution created for widgets that name none (found by their unique names). */
  conversationsOf(executionSid: string): ConversationRecord[];
  /** Waits for the first conversation the execution created. */
  conversationOf(executionSid: string): Promise<ConversationRecord>;
  /** Speaks as the participant: a message Twilio delivers to the flow's webhook, signed. */
  reply(conversationSid: string, author: string, body: string): Promise<unknown>;
  /** A new API (a fresh app, nothing kept in memory) at the same URL, as after a process restart. */
  restartApi(): Promise<void>;
  stop(): Promise<void>;
}

const studioSpec = new OpenApiResponses('twilio_studio_v2.json');

export interface StackOptions {
  readonly vars?: Record<string, string>;
  /** Webhook delivery tuning for the emulator (short timeouts for retry tests). */
  readonly webhooks?: Parameters<typeof createEmulator>[0]['webhooks'];
  /** False: no in-process worker (the test runs worker processes of its own). */
  readonly worker?: boolean;
  /** Create a Conversations service in the emulator and configure it as TWILIO_CONVERSATIONS_SERVICE_SID. */
  readonly configuredService?: boolean;
  /** Where the API logs (tests that check its log lines); silent by default, or stdout with TEST_API_LOG set. */
  readonly apiLogger?: Logger;
  /**
   * A Temporal server of the test's own (one it stops and restarts) instead of the shared one. The API then talks to
   * it through its production client (src/services/connection.ts), which opens lazily and bounds its retries, as
   * `npm run api` does; the worker and `temporal` connect as usual.
   */
  readonly temporalAddress?: string;
  /** Where the API's metrics go (none by default). */
  readonly meter?: MetricMeter;
}

const NO_WORKER: RunningWorker = {
  get worker(): never {
    throw new Error('this stack was started without a worker');
  },
  stop: async () => undefined,
};

/**
 * The product as a user runs it, in-process: the real API on a free port, the real worker on a task queue of its
 * own and the Twilio emulator, all sharing one config whose PUBLIC_BASE_URL is the API's own URL (also the emulator's
 * studio flow base URL, so `Target=studio` webhooks reach the flows here).
 */
export async function startStack(name: string, options: StackOptions = {}): Promise<TestStack> {
  const temporal = await connectClient(options.temporalAddress);
  const api = await bindFreePort();
  const { accountSid, authToken } = devCredentials();
  // The emulator delivers studio-target webhooks and texts to the flow URLs on this API, as `npm start` wires them.
  const twilio = createEmulator({ accountSid, authToken, webhooks: options.webhooks, studioFlowBaseUrl: api.url });
  const twilioServer = await twilio.listen(0);
  const serviceSid = options.configuredService ? await createService(twilioServer.url, accountSid, authToken) : undefined;
  const config = testConfig({
    ...(serviceSid ? { TWILIO_CONVERSATIONS_SERVICE_SID: serviceSid } : {}),
    TWILIO_ACCOUNT_SID: accountSid,
    TWILIO_AUTH_TOKEN: authToken,
    TWILIO_API_BASE_URL: twilioServer.url,
    PUBLIC_BASE_URL: api.url,
    TEMPORAL_TASK_QUEUE: uniqueTaskQueue(name),
    ...(options.temporalAddress ? { TEMPORAL_ADDRESS: options.temporalAddress } : {}),
    ...options.vars,
  });
  const worker = options.worker === false ? NO_WORKER : await startWorker(config);
  let apiClient: Client | undefined;
  let redelivery: ReplyRedelivery | undefined;
  // As src/api.ts wires it: the app, its Temporal client and its redelivery queue live and die together.
  const attachApp = (server: BoundServer) => {
    apiClient = options.temporalAddress ? createLazyClient(config.temporal, { retryBudgetMs: API_RETRY_BUDGET_MS }) : undefined;
    const client = apiClient ?? temporal;
    const logger = options.apiLogger ?? (process.env.TEST_API_LOG ? createLogger('api') : silentLogger);
    const meter = options.meter ?? noopMetricMeter;
    redelivery = new ReplyRedelivery((sid, message) => deliverReply(client, sid, message), logger, meter);
    server.attach(createApp({ config, temporal: client, logger, meter, redelivery }));
  };
  const stopApi = async () => {
    await stack.api.close();
    await redelivery?.stop();
    if (!apiClient) return;
    // Webhook handlers cut off by the close still finish their signal, within its deadline; gRPC throws from a retry
    // that outlives its channel, so the connection closes after that.
    await new Promise((r) => setTimeout(r, SIGNAL_DEADLINE_MS));
    await apiClient.connection.close();
  };
  attachApp(api);
  const recording = recordingTwilioClient(api.url, accountSid, authToken);
  const stack: TestStack = {
    config,
    api,
    worker,
    temporal,
    twilio,
    twilioServer,
    client: recording.client,
    responses: recording.responses,
    emulatorClient: recordingTwilioClient(twilioServer.url, accountSid, authToken).client,
    authorization: basicAuthorization({ accountSid, authToken }),
    nonConformingResponses: () =>
      recording.responses
        .filter((r) => r.status < 300 && r.status !== 204 && r.path.startsWith('/v2/'))
        .flatMap((r) => studioSpec.errorsFor(r.path, r.method, r.status, r.body).map((e) => `${r.method} ${r.path}: ${e}`)),
    conversationsOf: (executionSid) =>
      [...twilio.store.conversations.values()].filter((c) => c.uniqueName?.startsWith(executionConversationPrefix(executionSid))),
    conversationOf: (executionSid) => eventually(async () => stack.conversationsOf(executionSid)[0]),
    reply: (conversationSid, author, body) =>
      stack.emulatorClient.conversations.v1.conversations(conversationSid).messages.create({ author, body, xTwilioWebhookEnabled: 'true' }),
    async restartApi() {
      await stopApi();
      stack.api = await bindFreePort(stack.api.port);
      attachApp(stack.api);
    },
    async stop() {
      await stopApi();
      await stack.worker.stop();
      await twilioServer.close();
      await temporal.connection.close();
    },
  };
  return stack;
}

/** A suite's afterAll: every Studio API answer its tests received has the shape Twilio's OpenAPI file declares. */
export async function checkResponsesAndStop(stack: TestStack): Promise<void> {
  expect(stack.nonConformingResponses()).toEqual([]);
  await stack?.stop();
}

async function createService(url: string, accountSid: string, authToken: string): Promise<string> {
  const response = await fetch(`${url}/v1/Services`, {
    method: 'POST',
    headers: { authorization: basicAuthorization({ accountSid, authToken }), 'content-type': 'application/x-www-form-urlencoded' },
    body: 'FriendlyName=Configured+default',
  });
  return ((await response.json()) as { sid: string }).sid;
}
