import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import type { TwilioConfig } from '../../config';
import { TWILIO_REQUEST_TIMEOUT_MS } from '../../workflows/contracts/twilio-timeouts';

export type TwilioClient = twilio.Twilio;

/** Requests to these hosts are Twilio's; with an API base URL set they all go there instead. */
const TWILIO_HOST = /(^|\.)twilio\.com$/i;

/**
 * The one place that builds the `twilio` client. With `apiBaseUrl` set (the local emulator), every request for a
 * Twilio domain (conversations, api, studio, flex-api, …) keeps its path and query but goes to that base URL. Each
 * request is aborted after `timeoutMs` (default: TWILIO_REQUEST_TIMEOUT_MS, which the activity timeouts build on).
 */
export function createTwilioClient(config: TwilioConfig, options: { timeoutMs?: number } = {}): TwilioClient {
  const timeout = options.timeoutMs ?? TWILIO_REQUEST_TIMEOUT_MS;
  const httpClient = config.apiBaseUrl
    ? new BaseUrlRequestClient(new URL(config.apiBaseUrl), { timeout })
    : new RequestClient({ timeout });
  return twilio(config.accountSid, config.authToken, { accountSid: config.accountSid, httpClient, env: {} });
}

/** Rewrites a Twilio URL onto `base`; anything that is not a Twilio URL passes through unchanged. */
export function rebaseTwilioUrl(uri: string, base: URL): string {
  const url = new URL(uri);
  if (!TWILIO_HOST.test(url.hostname)) return uri;
  const basePath = base.pathname.replace(/\/+$/, '');
  return `${base.origin}${basePath}${url.pathname}${url.search}`;
}

class BaseUrlRequestClient extends RequestClient {
  constructor(
    private readonly base: URL,
    options: RequestClient.RequestClientOptions,
  ) {
    super(options);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    return super.request<TData>({ ...opts, uri: rebaseTwilioUrl(opts.uri, this.base) });
  }
}
