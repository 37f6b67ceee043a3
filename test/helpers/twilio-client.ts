import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import { rebaseTwilioUrl } from '../../src/activities/twilio/twilio-client';

export interface RecordedResponse {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
}

/**
 * The official `twilio` client, unmodified, with its requests for Twilio's domains sent to `baseUrl` (our API or
 * the emulator) and every response recorded, so a test can check each one against Twilio's OpenAPI file.
 */
export function recordingTwilioClient(baseUrl: string, accountSid: string, authToken: string) {
  const responses: RecordedResponse[] = [];
  const httpClient = new RecordingRequestClient(new URL(baseUrl), responses);
  return { client: twilio(accountSid, authToken, { accountSid, httpClient, env: {} }), responses };
}

class RecordingRequestClient extends RequestClient {
  constructor(
    private readonly base: URL,
    private readonly responses: RecordedResponse[],
  ) {
    super({ timeout: 30_000 });
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const uri = rebaseTwilioUrl(opts.uri, this.base);
    const response = await super.request<TData>({ ...opts, uri });
    const body: unknown = typeof response.body === 'string' && response.body !== '' ? JSON.parse(response.body) : response.body;
    this.responses.push({ method: opts.method.toUpperCase(), path: new URL(uri).pathname, status: response.statusCode, body });
    return response;
  }
}
