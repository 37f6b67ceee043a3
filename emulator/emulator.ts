import type { Server } from 'node:http';
import express, { type Express } from 'express';
import { twilioBasicAuth } from './auth';
import { DeliveryLog } from './delivery-log';
import { twilioErrorHandler, unknownRoute } from './errors';
import { FaultRegistry } from './faults';
import type { DeliveryAttempt } from './records';
import type { RouteDeps } from './route';
import type { DeliveryQueueState } from './delivery-slots';
import { addressConfigurationRoutes } from './routes/address-configurations';
import { adminRoutes } from './routes/admin';
import { incomingPhoneNumberRoutes } from './routes/incoming-phone-numbers';
import { conversationFamilyRoutes } from './routes/conversation-family';
import { interactionRoutes } from './routes/interactions';
import { messagingRoutes } from './routes/messaging';
import { serviceRoutes } from './routes/services';
import { isSid } from './sids';
import { Store, type StoreReader } from './store';
import { type DeliveryOptions, WebhookDispatcher } from './webhook-dispatcher';

/** How to build an emulator: the account it answers for and webhook delivery tuning. */
export interface EmulatorOptions {
  /** The account the emulator answers for: AC and 32 hex digits. */
  readonly accountSid: string;
  /** Checked on every Twilio route and used to sign webhooks. */
  readonly authToken: string;
  /** Webhook delivery tuning; defaults 5000 ms timeout, 3 retries, 1000 ms between tries, 50 requests in flight. */
  readonly webhooks?: Partial<DeliveryOptions>;
  /**
   * The product's base URL (its PUBLIC_BASE_URL): `studio`-target webhooks are delivered to
   * `<base>/v1/Accounts/{AccountSid}/Flows/{FlowSid}`. Without it they are stored and listed only.
   */
  readonly studioFlowBaseUrl?: string;
}

/** A running emulator: its base URL and a way to stop it, hung connections included. */
export interface RunningEmulator {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** A stateful Twilio emulator; see emulator/README.md. */
export interface Emulator {
  /** The express app; it listens only through {@link Emulator.listen}. */
  readonly app: Express;
  /** Read access to the emulated state. */
  readonly store: StoreReader;
  /** Fault injection, per route name. */
  readonly faults: FaultRegistry;
  /** SID of the service `/v1/Conversations/…` paths use. */
  readonly defaultServiceSid: string;
  /** Serves on `port` (0 picks a free one) at `host`, loopback by default since the admin routes have no auth. */
  listen(port?: number, host?: string): Promise<RunningEmulator>;
  /** Clears all state (keeping the default service), faults and deliveries, and cancels pending deliveries. */
  reset(): void;
  /** Every webhook delivery attempt so far. */
  deliveries(): readonly DeliveryAttempt[];
  /** The webhook concurrency limit and the requests in flight and queued now. */
  webhookQueue(): DeliveryQueueState;
  /** Points `studio` targets at a product base URL from now on (null: deliver none). */
  setStudioFlowBaseUrl(url: string | null): void;
  /** Resolves with all attempts once `predicate` holds; rejects after `timeoutMs`. */
  waitForDeliveries(
    predicate: (attempts: readonly DeliveryAttempt[]) => boolean,
    timeoutMs?: number,
  ): Promise<readonly DeliveryAttempt[]>;
}

/** Builds a stateful in-memory Twilio emulator for the Conversations, Messaging and Flex calls the product makes. */
export function createEmulator(options: EmulatorOptions): Emulator {
  if (!isSid(options.accountSid, 'AC')) throw new Error('accountSid must be AC followed by 32 hex digits');
  if (options.authToken === '') throw new Error('authToken must not be empty');
  const store = new Store();
  const faults = new FaultRegistry();
  const log = new DeliveryLog();
  const delivery = { timeoutMs: 5000, maxRetries: 3, retryDelayMs: 1000, maxConcurrent: DEFAULT_MAX_CONCURRENT, ...options.webhooks };
  const dispatcher = new WebhookDispatcher({ ...options, log, options: delivery, studioFlowBaseUrl: null });
  if (options.studioFlowBaseUrl !== undefined) dispatcher.setStudioFlowBaseUrl(checkBaseUrl(options.studioFlowBaseUrl));
  const reset = () => {
    dispatcher.cancelAll();
    store.reset();
    faults.clear();
    log.clear();
  };
  const deps = { accountSid: options.accountSid, store, faults, dispatcher };
  const app = buildApp(options, deps, adminRoutes({ ...deps, log, reset }));
  return {
    app,
    store,
    faults,
    defaultServiceSid: store.defaultServiceSid,
    listen: (port = 0, host = '127.0.0.1') => listen(app, port, host, () => dispatcher.cancelAll()),
    reset,
    deliveries: () => log.all(),
    webhookQueue: () => dispatcher.queueState(),
    setStudioFlowBaseUrl: (url) => dispatcher.setStudioFlowBaseUrl(url === null ? null : checkBaseUrl(url)),
    waitForDeliveries: (predicate, timeoutMs) => log.waitFor(predicate, timeoutMs),
  };
}

/** Webhook requests in flight at once unless `webhooks.maxConcurrent` says otherwise. */
export const DEFAULT_MAX_CONCURRENT = 50;

function checkBaseUrl(url: string): string {
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new Error(`studioFlowBaseUrl must be an absolute http:// or https:// URL, not '${url}'`);
  }
  return url;
}

function buildApp(options: EmulatorOptions, deps: RouteDeps, admin: express.Router): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use('/_emulator', admin);
  app.use(express.urlencoded({ extended: false }), express.json());
  app.use(twilioBasicAuth(options.accountSid, options.authToken));
  const conversations = conversationFamilyRoutes(deps);
  app.use('/v1/Conversations', conversations);
  app.use('/v1/Services/:ChatServiceSid/Conversations', conversations);
  app.use('/v1/Services', serviceRoutes(deps));
  app.use('/2010-04-01/Accounts/:AccountSid', messagingRoutes(deps), incomingPhoneNumberRoutes(deps));
  app.use('/v1/Configuration/Addresses', addressConfigurationRoutes(deps));
  app.use('/v1/Interactions', interactionRoutes(deps));
  app.use(unknownRoute);
  app.use(twilioErrorHandler);
  return app;
}

function listen(app: Express, port: number, host: string, onClose: () => void): Promise<RunningEmulator> {
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('emulator is not on a TCP port'));
      resolve({
        url: `http://${reachableHost(host)}:${address.port}`,
        port: address.port,
        close: () => closeServer(server, onClose),
      });
    });
  });
}

/** A wildcard bind is reached through loopback on this machine; IPv6 literals need brackets in a URL. */
function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function closeServer(server: Server, onClose: () => void): Promise<void> {
  onClose();
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Hung requests (the `hang` fault) and idle keep-alive sockets would otherwise hold close() open forever.
    server.closeAllConnections();
  });
}
