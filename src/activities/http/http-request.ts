import { Context } from '@temporalio/activity';
import { basicAuthorization } from '../../config';

/** Studio gives HTTP Request and Run Function 10 seconds. */
export const HTTP_TIMEOUT_MS = 10_000;
/**
 * Larger bodies are not read: the widget takes its failure event instead. Studio documents no response-size limit
 * (its FAQ and HTTP Request page give only the 10 s); 64 KiB kept both as `body` and as `parsed` fits the 192 KiB one
 * step may write (src/flow/limits.ts), far below Temporal's 2 MB payload limit.
 */
export const MAX_RESPONSE_BYTES = 64 * 1024;

export interface HttpRequestInput {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs?: number;
  /** Adds HTTP Basic auth with the account's credentials, here rather than in the workflow, so no secret enters history. */
  readonly twilioAuth?: boolean;
}

/** The HTTP activity, with the account credentials `twilioAuth` needs. */
export function createHttpActivities(credentials: { accountSid: string; authToken: string }) {
  const authorization = basicAuthorization(credentials);
  return {
    sendHttpRequest(input: HttpRequestInput): Promise<HttpRequestResult> {
      return sendHttpRequest(input.twilioAuth ? { ...input, headers: { ...input.headers, authorization } } : input);
    },
  };
}

/** Any HTTP answer is a response (the widget decides what counts as success); only transport problems are errors. */
export type HttpRequestResult =
  | { readonly ok: true; readonly status_code: number; readonly content_type: string; readonly body: string }
  | { readonly ok: false; readonly error: string };

/**
 * Sends one HTTP request and reports what came back. Never throws for the far end's behaviour (timeouts, refused
 * connections, oversized bodies are results), so Temporal does not retry a request the flow should see fail.
 */
export async function sendHttpRequest(input: HttpRequestInput): Promise<HttpRequestResult> {
  const timeout = AbortSignal.timeout(input.timeoutMs ?? HTTP_TIMEOUT_MS);
  const cancelled = cancellationSignal();
  const signal = cancelled ? AbortSignal.any([timeout, cancelled]) : timeout;
  try {
    const response = await fetch(input.url, { method: input.method, headers: input.headers, body: input.body, signal, redirect: 'follow' });
    const body = await readLimited(response, MAX_RESPONSE_BYTES);
    if (body === undefined) return { ok: false, error: `response body is larger than ${MAX_RESPONSE_BYTES / 1024} KB` };
    return { ok: true, status_code: response.status, content_type: response.headers.get('content-type') ?? '', body };
  } catch (err) {
    if (cancelled?.aborted) throw err; // the workflow cancelled the activity: let Temporal see that
    if (timeout.aborted) return { ok: false, error: `no response within ${(input.timeoutMs ?? HTTP_TIMEOUT_MS) / 1000} s` };
    return { ok: false, error: describeFetchError(err) };
  }
}

function cancellationSignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined; // called outside an activity (unit tests)
  }
}

async function readLimited(response: Response, limit: number): Promise<string | undefined> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) {
      await response.body.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** fetch hides the reason (ECONNREFUSED, ENOTFOUND, …) in `cause`; duck-typed, as errors may cross realms. */
function describeFetchError(err: unknown): string {
  const { message, cause } = (err ?? {}) as { message?: unknown; cause?: { message?: unknown; code?: unknown } };
  const reason = cause?.message || cause?.code;
  return [message, reason].filter((part) => typeof part === 'string' && part !== '').join(': ') || String(err);
}
