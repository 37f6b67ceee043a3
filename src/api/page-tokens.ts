import { createHmac, timingSafeEqual } from 'node:crypto';
import { badRequest } from './api-error';

/** Bytes of HMAC-SHA256 kept in a token: enough that a guessed token is never accepted. */
const MAC_BYTES = 16;

/**
 * Twilio's `PageToken` is opaque: this API hands out Temporal's visibility page token sealed with an HMAC keyed by
 * the auth token (so every API process of one deployment accepts the others' tokens), bound to the list it pages.
 * A token this API did not issue is a 400 at once: passed to Temporal it fails only after the client's retries
 * (about 20 s, as gRPC UNKNOWN) and would read as a server fault.
 */
export class PageTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('studio-temporal page tokens').digest();
  }

  /** `temporalToken` (base64url) sealed for the list at `listPath` (e.g. `/v2/Flows`). */
  seal(listPath: string, temporalToken: string): string {
    return `${temporalToken}.${this.mac(listPath, temporalToken)}`;
  }

  /** The Temporal token inside `pageToken`; throws a 400 (code 20001) when this API did not issue it for `listPath`. */
  open(listPath: string, pageToken: string): string {
    const dot = pageToken.lastIndexOf('.');
    const token = pageToken.slice(0, dot);
    const given = Buffer.from(pageToken.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.mac(listPath, token), 'base64url');
    if (dot <= 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw badRequest('Invalid PageToken: use the next_page_url of the page before, unchanged');
    }
    return token;
  }

  private mac(listPath: string, token: string): string {
    return createHmac('sha256', this.key).update(`${listPath}\n${token}`).digest().subarray(0, MAC_BYTES).toString('base64url');
  }
}
