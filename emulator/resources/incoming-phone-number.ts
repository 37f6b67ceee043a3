import type { IncomingPhoneNumberRecord } from '../records';
import { rfc2822 } from '../time';

/** Path of a number (`/2010-04-01/Accounts/AC…/IncomingPhoneNumbers/PN…`), without the `.json` suffix. */
export function incomingPhoneNumberPath(accountSid: string, sid: string): string {
  return `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers/${sid}`;
}

/**
 * The 2010-04-01 IncomingPhoneNumber resource (`api.v2010.account.incoming_phone_number`). Everything the emulator
 * does not model reads as a plain local number: SMS, MMS and voice capable, no address, bundle, trunk or emergency
 * registration.
 */
export function renderIncomingPhoneNumber(accountSid: string, n: IncomingPhoneNumberRecord): Record<string, unknown> {
  return {
    account_sid: accountSid,
    address_sid: null,
    address_requirements: 'none',
    api_version: '2010-04-01',
    beta: false,
    capabilities: { voice: true, sms: true, mms: true, fax: false },
    date_created: rfc2822(n.dateCreated),
    date_updated: rfc2822(n.dateUpdated),
    friendly_name: n.friendlyName,
    identity_sid: null,
    phone_number: n.phoneNumber,
    origin: 'twilio',
    sid: n.sid,
    sms_application_sid: null,
    sms_fallback_method: n.smsFallbackMethod,
    sms_fallback_url: n.smsFallbackUrl,
    sms_method: n.smsMethod,
    sms_url: n.smsUrl,
    status_callback: n.statusCallback,
    status_callback_method: n.statusCallbackMethod,
    trunk_sid: null,
    uri: `${incomingPhoneNumberPath(accountSid, n.sid)}.json`,
    voice_receive_mode: 'voice',
    voice_application_sid: null,
    voice_caller_id_lookup: false,
    voice_fallback_method: n.voiceFallbackMethod,
    voice_fallback_url: n.voiceFallbackUrl,
    voice_method: n.voiceMethod,
    voice_url: n.voiceUrl,
    emergency_status: 'Inactive',
    emergency_address_sid: null,
    emergency_address_status: 'unregistered',
    bundle_sid: null,
    status: 'in-use',
    type: 'local',
  };
}
