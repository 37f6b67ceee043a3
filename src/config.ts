import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { z } from 'zod';
import { sidPattern } from './flow/sids';
import { isKnownTimezone, STUDIO_TIMEZONE } from './flow/studio-rules';
import { LOG_LEVELS, type LogLevel } from './logger';

/** The task queue every studio-temporal worker polls unless TEMPORAL_TASK_QUEUE says otherwise. */
export const DEFAULT_TASK_QUEUE = 'studio';

const accountSid = z.string().regex(sidPattern('AC'), 'must be an account SID: AC followed by 32 hex digits');
const serviceSid = z.string().regex(sidPattern('IS'), 'must be a Conversations service SID: IS followed by 32 hex digits');
const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .transform((url) => url.replace(/\/+$/, ''));
const positiveInt = z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(1, 'must be at least 1');
const port = z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(0).max(65535);
const booleanFlag = z.enum(['1', '0', 'true', 'false'], { error: 'must be one of 1, 0, true, false' });

/** Every environment variable studio-temporal reads, with its rule; keys are the variable names. */
const envSchema = z.object({
  /** Port the API listens on; 0 picks a free port. */
  PORT: port.default(3000),
  /** The URL Twilio calls and signs; webhook URLs are built from it. Defaults to http://localhost:PORT. */
  PUBLIC_BASE_URL: httpUrl.optional(),
  /** Account SID: authenticates every Twilio call and is the API's Basic-auth user. */
  TWILIO_ACCOUNT_SID: accountSid,
  /** Auth token: Twilio calls, the API's Basic-auth password and the webhook signature key. */
  TWILIO_AUTH_TOKEN: z.string().min(1, 'must not be empty'),
  /** Sends every Twilio call to this base URL instead of Twilio's domains (the local emulator). */
  TWILIO_API_BASE_URL: httpUrl.optional(),
  /** Conversations service used when a start-conversation widget names none; Twilio's default service otherwise. */
  TWILIO_CONVERSATIONS_SERVICE_SID: serviceSid.optional(),
  /** TaskRouter workspace (WS…) of the Flex account, put in send-to-flex's routing when set. */
  TWILIO_FLEX_WORKSPACE_SID: z.string().regex(sidPattern('WS'), 'must be a TaskRouter workspace SID: WS followed by 32 hex digits').optional(),
  /** Author of the messages flows send into a conversation. */
  FLOW_MESSAGE_AUTHOR: z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters').default('studio'),
  /** Task queue of the worker and of the executions the API starts. */
  /** IANA zone Liquid dates render in (studio-rules.ts); Studio's own is Pacific time. */
  STUDIO_TIMEZONE: z.string().refine(isKnownTimezone, 'must be an IANA time zone name, e.g. America/Los_Angeles or UTC').default(STUDIO_TIMEZONE),
  TEMPORAL_TASK_QUEUE: z.string().min(1, 'must not be empty').default(DEFAULT_TASK_QUEUE),
  /** Lowest level written to the JSON log. */
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  /** Port of the process's Prometheus endpoint (GET /metrics); unset means none. */
  METRICS_PORT: port.optional(),
  /** A prebuilt workflow bundle the worker must load (by default it loads dist/workflow-bundle.js when fresh). */
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  /**
   * Keep the Temporal SDK's stack trace of every promise in workflow code (the Temporal UI's Stack Trace tab, frames
   * in workflow errors). Off by default: it was a third of a turn's workflow CPU (src/workflows/stack-traces-off.ts).
   */
  WORKFLOW_STACK_TRACES: booleanFlag.default('0'),
  /** Workflow tasks one worker runs at once (SDK default 40). */
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: positiveInt.optional(),
  /** Activities (Twilio and HTTP calls) one worker runs at once (SDK default 100). */
  WORKER_MAX_CONCURRENT_ACTIVITIES: positiveInt.optional(),
  /** Executions kept in the worker's sticky cache (SDK default: from the heap size). */
  WORKER_MAX_CACHED_WORKFLOWS: positiveInt.optional(),
  /** On SIGTERM, how long running activities may finish before they are cancelled (and retried elsewhere). */
  WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce.number({ error: 'must be a number' }).min(0).default(10),
  /** On SIGTERM, how long the API lets requests in flight finish before it closes their connections. */
  API_SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number({ error: 'must be a number' }).min(0).default(30),
  // The connection itself is read by @temporalio/envconfig; these rules only catch typos early.
  TEMPORAL_ADDRESS: z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'must be host:port, e.g. localhost:7233').optional(),
  TEMPORAL_NAMESPACE: z.string().min(1, 'must not be empty').optional(),
  TEMPORAL_API_KEY: z.string().min(1, 'must not be empty').optional(),
  TEMPORAL_TLS: booleanFlag.optional(),
  /** The Temporal UI the web console links each execution's workflow to; the local dev server's UI by default. */
  TEMPORAL_UI_URL: httpUrl.default('http://localhost:8233'),
});

export interface TwilioConfig {
  readonly accountSid: string;
  readonly authToken: string;
  readonly apiBaseUrl?: string;
  readonly conversationsServiceSid?: string;
  readonly flexWorkspaceSid?: string;
}

export interface TemporalConfig {
  readonly connectionOptions: NativeConnectionOptions;
  readonly namespace: string;
  readonly taskQueue: string;
}

/** How the worker runs; every unset limit keeps the Temporal SDK's default, but the cache (DEFAULT_MAX_CACHED_WORKFLOWS). */
export interface WorkerConfig {
  readonly maxConcurrentWorkflowTaskExecutions?: number;
  readonly maxConcurrentActivityTaskExecutions?: number;
  readonly maxCachedWorkflows: number;
  readonly shutdownGraceSeconds: number;
  readonly bundlePath?: string;
  /** WORKFLOW_STACK_TRACES: the bundle keeps the SDK's per-promise stack traces (off by default). */
  readonly workflowStackTraces: boolean;
}

export interface Config {
  readonly port: number;
  readonly logLevel: LogLevel;
  readonly metricsPort?: number;
  readonly worker: WorkerConfig;
  readonly apiShutdownTimeoutSeconds: number;
  readonly publicBaseUrl: string;
  readonly twilio: TwilioConfig;
  readonly flowMessageAuthor: string;
  /** IANA zone new executions render Liquid dates in, pinned in each at its start (default Studio's America/Los_Angeles). */
  readonly studioTimezone: string;
  readonly temporal: TemporalConfig;
  /** Base URL of the Temporal UI (no trailing slash), for the console's links to workflows. */
  readonly temporalUiUrl: string;
}

/** Thrown when the environment holds a missing or bad value; the message names every such variable. */
export class ConfigError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Executions a worker keeps in memory between their workflow tasks when WORKER_MAX_CACHED_WORKFLOWS is not set. Each
 * one holds its own copy of the project's workflow modules (the libraries are evaluated once per worker, see
 * worker/workflow-bundle.ts), and the SDK's default derives the count from the heap limit (2,300 on a 4 GB heap):
 * 1,000 bounds what the cache holds however many executions wait (bench:scale: 10,000 waiting, worker RSS about
 * 1 GiB). An execution outside the cache is replayed from its history at its next task.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 1_000;

/** Reads and validates the whole configuration once; throws {@link ConfigError} naming each bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const present = withoutEmptyValues(env);
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        return `${name}: ${present[name] === undefined ? 'is required but not set' : issue.message}`;
      }),
    );
  }
  const vars = parsed.data;
  if (vars.PORT === 0 && vars.PUBLIC_BASE_URL === undefined) {
    throw new ConfigError(['PUBLIC_BASE_URL: is required when PORT is 0 (the public URL cannot be derived from a random port)']);
  }
  const cache = vars.WORKER_MAX_CACHED_WORKFLOWS ?? DEFAULT_MAX_CACHED_WORKFLOWS;
  const workflowTasks = vars.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS;
  if (workflowTasks !== undefined && workflowTasks > cache) {
    // The SDK refuses it at worker start; saying so here names both variables.
    throw new ConfigError(['WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: must not exceed WORKER_MAX_CACHED_WORKFLOWS']);
  }
  return Object.freeze({
    port: vars.PORT,
    logLevel: vars.LOG_LEVEL,
    metricsPort: vars.METRICS_PORT,
    worker: Object.freeze({
      maxConcurrentWorkflowTaskExecutions: workflowTasks,
      maxConcurrentActivityTaskExecutions: vars.WORKER_MAX_CONCURRENT_ACTIVITIES,
      maxCachedWorkflows: cache,
      shutdownGraceSeconds: vars.WORKER_SHUTDOWN_GRACE_SECONDS,
      bundlePath: vars.WORKFLOW_BUNDLE_PATH,
      workflowStackTraces: vars.WORKFLOW_STACK_TRACES === '1' || vars.WORKFLOW_STACK_TRACES === 'true',
    }),
    apiShutdownTimeoutSeconds: vars.API_SHUTDOWN_TIMEOUT_SECONDS,
    publicBaseUrl: vars.PUBLIC_BASE_URL ?? `http://localhost:${vars.PORT}`,
    twilio: Object.freeze({
      accountSid: vars.TWILIO_ACCOUNT_SID,
      authToken: vars.TWILIO_AUTH_TOKEN,
      apiBaseUrl: vars.TWILIO_API_BASE_URL,
      conversationsServiceSid: vars.TWILIO_CONVERSATIONS_SERVICE_SID,
      flexWorkspaceSid: vars.TWILIO_FLEX_WORKSPACE_SID,
    }),
    flowMessageAuthor: vars.FLOW_MESSAGE_AUTHOR,
    studioTimezone: vars.STUDIO_TIMEZONE,
    temporal: Object.freeze({ ...loadTemporalConnection(env), taskQueue: vars.TEMPORAL_TASK_QUEUE }),
    temporalUiUrl: vars.TEMPORAL_UI_URL,
  });
}

function loadTemporalConnection(env: Env): Omit<TemporalConfig, 'taskQueue'> {
  try {
    const overrideEnvVars = Object.fromEntries(
      Object.entries(withoutEmptyValues(env)).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    const { connectionOptions, namespace } = loadClientConnectConfig({ overrideEnvVars });
    return { connectionOptions, namespace: namespace ?? 'default' };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError([`TEMPORAL_* (read by @temporalio/envconfig): ${reason}`]);
  }
}

/** An empty variable (`FOO=`) means "not set", as shells and .env files usually intend. */
function withoutEmptyValues(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
}

/** Path of the webhook Twilio calls for an execution's conversation (see src/api/routes/conversation-webhooks.ts). */
export const CONVERSATION_WEBHOOK_PATH = '/webhooks/conversations';

/**
 * The URL registered on a conversation for `executionSid`: the one Twilio calls and signs. It names the conversation
 * too, so the API can tell, without asking Temporal, that a delivery is from the conversation the webhook was
 * registered on (Twilio's signature covers the URL). Without `conversationSid`: the form executions started before
 * that registered, still taken (README, "Replies from another conversation").
 */
export function conversationWebhookUrl(config: Pick<Config, 'publicBaseUrl'>, executionSid: string, conversationSid?: string): string {
  return `${config.publicBaseUrl}${CONVERSATION_WEBHOOK_PATH}/${executionSid}${conversationSid ? `/${conversationSid}` : ''}`;
}

/** The HTTP Basic `authorization` header for the account's credentials (Twilio's, and this API's). */
export function basicAuthorization(credentials: Pick<TwilioConfig, 'accountSid' | 'authToken'>): string {
  return `Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString('base64')}`;
}

/**
 * A flow's webhook URL (Studio's `webhook_url`): where a phone number's Messaging webhook or a conversation's scoped
 * webhook points to start and reach the flow's executions (DESIGN.md §8).
 */
export function flowWebhookUrl(config: Pick<Config, 'publicBaseUrl' | 'twilio'>, flowSid: string): string {
  return `${config.publicBaseUrl}${flowWebhookPath(config.twilio.accountSid, flowSid)}`;
}

/** The path of a flow's webhook URL: `/v1/Accounts/{AccountSid}/Flows/{FlowSid}`, as Studio's. */
export function flowWebhookPath(accountSid: string, flowSid: string): string {
  return `/v1/Accounts/${accountSid}/Flows/${flowSid}`;
}
