import type { MessagingMessageRecord } from '../records';
import { rfc2822 } from '../time';

/** Path of a 2010 message (`/2010-04-01/Accounts/AC…/Messages/SM…`), without the `.json` suffix. */
export function messagingMessagePath(accountSid: string, sid: string): string {
  return `/2010-04-01/Accounts/${accountSid}/Messages/${sid}`;
}

/** The 2010-04-01 message resource; the 2010 API prints RFC 2822 dates and counts as strings. */
export function renderMessagingMessage(accountSid: string, m: MessagingMessageRecord): Record<string, unknown> {
  const path = messagingMessagePath(accountSid, m.sid);
  const date = rfc2822(m.dateCreated);
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: date,
    date_sent: date,
    date_updated: date,
    direction: m.direction,
    error_code: null,
    error_message: null,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: String(m.mediaUrls.length),
    num_segments: String(segmentCount(m.body)),
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    // Nothing is ever sent: an outbound message stays queued; a contact's text has been received.
    status: m.direction === 'inbound' ? 'received' : 'queued',
    subresource_uris: { media: `${path}/Media.json` },
    to: m.to,
    uri: `${path}.json`,
  };
}

/**
 * SMS segments: 160 characters (153 per part when split) for GSM-7 text, 70 (67) otherwise. Printable ASCII
 * stands in for the GSM-7 alphabet, which is close enough for an emulator.
 */
export function segmentCount(body: string): number {
  const gsm = /^[\x20-\x7e\r\n]*$/.test(body);
  const [single, part] = gsm ? [160, 153] : [70, 67];
  return body.length <= single ? 1 : Math.ceil(body.length / part);
}
