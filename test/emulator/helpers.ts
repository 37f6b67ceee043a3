import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import express from 'express';
import { createEmulator, type Emulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/emulator';

/** A fresh, Twilio-shaped account per emulator. */
export function credentials(): { accountSid: string; authToken: string } {
  return { accountSid: `AC${randomBytes(16).toString('hex')}`, authToken: randomBytes(16).toString('hex') };
}

/** A parsed emulator answer. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

export type FormParams = Record<string, string | readonly string[]>;

/** An emulator on port 0 plus a raw HTTP client speaking Twilio's wire format to it. */
export interface TestEmulator {
  readonly emulator: Emulator;
  readonly running: RunningEmulator;
  readonly accountSid: string;
  readonly authToken: string;
  request(method: string, path: string, params?: FormParams, headers?: Record<string, string>): Promise<RawResponse>;
}

/** Starts an emulator with fresh credentials on a free port; `extra` sets the other options (the studio flow base URL). */
export async function startEmulator(
  webhooks?: EmulatorOptions['webhooks'],
  extra: Pick<EmulatorOptions, 'studioFlowBaseUrl'> = {},
): Promise<TestEmulator> {
  const { accountSid, authToken } = credentials();
  const emulator = createEmulator({ accountSid, authToken, webhooks, ...extra });
  const running = await emulator.listen(0);
  const authorization = basicAuth(accountSid, authToken);
  return {
    emulator,
    running,
    accountSid,
    authToken,
    request: (method, path, params, headers) =>
      rawRequest(`${running.url}${path}`, method, params, { authorization, ...headers }),
  };
}

/** `Basic base64(user:password)`. */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** Sends form params (repeated names for arrays) and parses a JSON answer, if any. */
export async function rawRequest(
  url: string,
  method: string,
  params?: FormParams,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(params ?? {})) for (const v of [value].flat()) form.append(name, v);
  const response = await fetch(url, {
    method,
    headers: params ? { 'content-type': 'application/x-www-form-urlencoded', ...headers } : headers,
    body: params ? form : undefined,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

/** Reads the string at `path` in a JSON body (`field(body, 'timers', 'date_closed')`), failing clearly when absent. */
export function field(body: unknown, ...path: string[]): string {
  const value = path.reduce<unknown>((node, name) => {
    if (typeof node !== 'object' || node === null) return undefined;
    return Object.getOwnPropertyDescriptor(node, name)?.value;
  }, body);
  if (typeof value !== 'string') throw new Error(`no string at ${path.join('.')} in ${JSON.stringify(body)}`);
  return value;
}

/** The string `name` of every record in a list body's `key` array (`listed(body, 'conversations', 'sid')`). */
export function listed(body: unknown, key: string, name: string): string[] {
  const records: unknown =
    typeof body === 'object' && body !== null ? Object.getOwnPropertyDescriptor(body, key)?.value : undefined;
  if (!Array.isArray(records)) throw new Error(`no ${key} array in ${JSON.stringify(body)}`);
  return records.map((record: unknown) => field(record, name));
}

/** Asserts Twilio's error body with this status and code, and optionally a message pattern. */
export function expectTwilioError(response: RawResponse, status: number, code: number, message?: RegExp): void {
  expect(response.body).toMatchObject({ status, code, more_info: `https://www.twilio.com/docs/errors/${code}` });
  expect(response.status).toBe(status);
  if (message) expect(field(response.body, 'message')).toMatch(message);
}

/** One request a {@link Receiver} got. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly params: Record<string, string>;
}

/**
 * A local webhook endpoint: records requests and answers with what `respond` says (`'hang'` never answers; a promise
 * answers when it settles). `inFlight` counts requests not yet answered, `maxInFlight` the most at once.
 */
export interface Receiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  respond: (request: ReceivedRequest, count: number) => number | 'hang' | Promise<number>;
  readonly inFlight: number;
  readonly maxInFlight: number;
  close(): Promise<void>;
}

/** Starts a webhook receiver on a free port; it answers 200 unless `respond` is replaced. */
export async function startReceiver(path = '/hook'): Promise<Receiver> {
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('receiver has no port');
  let inFlight = 0;
  let maxInFlight = 0;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${address.port}${path}`,
    requests: [],
    respond: () => 200,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  app.all(path, async (req, res) => {
    const params = stringParams(req.method === 'GET' ? req.query : req.body);
    const request = {
      method: req.method,
      url: `http://127.0.0.1:${address.port}${req.originalUrl}`,
      headers: req.headers,
      params,
    };
    receiver.requests.push(request);
    const answer = receiver.respond(request, receiver.requests.length);
    if (answer === 'hang') return;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      res.status(await answer).send('');
    } finally {
      inFlight -= 1;
    }
  });
  return receiver;
}

function stringParams(input: unknown): Record<string, string> {
  if (typeof input !== 'object' || input === null) return {};
  return Object.fromEntries(
    Object.entries(input).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}
