import { invalidParameter, TwilioError } from '../errors';
import { one, type Params } from '../params';
import type { IncomingPhoneNumberRecord } from '../records';
import { newSid } from '../sids';
import type { Store } from '../store';
import { type Check, httpUrl, maxLength } from '../validate';

/** E.164: a plus, then up to 15 digits, the first not 0. */
const E164 = /^\+[1-9]\d{1,14}$/;

type Settable = Omit<IncomingPhoneNumberRecord, 'sid' | 'phoneNumber' | 'dateCreated' | 'dateUpdated'>;

/** The params create and update both take, by record field: URLs (an empty value clears one) and HTTP methods. */
const SETTINGS: ReadonlyArray<[keyof Settable, string, Check<string | null>]> = [
  ['friendlyName', 'FriendlyName', maxLength(64)],
  ['smsUrl', 'SmsUrl', optionalUrl],
  ['smsMethod', 'SmsMethod', httpMethod],
  ['smsFallbackUrl', 'SmsFallbackUrl', optionalUrl],
  ['smsFallbackMethod', 'SmsFallbackMethod', httpMethod],
  ['voiceUrl', 'VoiceUrl', optionalUrl],
  ['voiceMethod', 'VoiceMethod', httpMethod],
  ['voiceFallbackUrl', 'VoiceFallbackUrl', optionalUrl],
  ['voiceFallbackMethod', 'VoiceFallbackMethod', httpMethod],
  ['statusCallback', 'StatusCallback', optionalUrl],
  ['statusCallbackMethod', 'StatusCallbackMethod', httpMethod],
];

/**
 * Provisions a number (`POST …/IncomingPhoneNumbers.json`): `PhoneNumber` in E.164 is required (the emulator has no
 * inventory to search, so `AreaCode` is refused), and a number the account already owns is not available (21422).
 */
export function createIncomingPhoneNumber(store: Store, params: Params): IncomingPhoneNumberRecord {
  const phoneNumber = one(params, 'PhoneNumber');
  if (phoneNumber === undefined) {
    throw invalidParameter('PhoneNumber', 'is required (the emulator has no number inventory, so AreaCode is not taken)');
  }
  if (!E164.test(phoneNumber)) throw invalidParameter('PhoneNumber', `'${phoneNumber}' is not an E.164 number such as +15551234567`);
  if (store.findIncomingPhoneNumber(phoneNumber)) {
    throw new TwilioError(400, 21422, `Phone number ${phoneNumber} is not available: the account already owns it`);
  }
  const now = new Date();
  const number: IncomingPhoneNumberRecord = {
    sid: newSid('PN'),
    phoneNumber,
    friendlyName: displayName(phoneNumber),
    smsUrl: null,
    smsMethod: 'POST',
    smsFallbackUrl: null,
    smsFallbackMethod: 'POST',
    voiceUrl: null,
    voiceMethod: 'POST',
    voiceFallbackUrl: null,
    voiceFallbackMethod: 'POST',
    statusCallback: null,
    statusCallbackMethod: 'POST',
    dateCreated: now,
    dateUpdated: now,
  };
  applySettings(number, params);
  store.incomingPhoneNumbers.set(number.sid, number);
  return number;
}

/** Applies update params (`SmsUrl`, `SmsMethod`, `VoiceUrl`, `FriendlyName`, …); absent params change nothing. */
export function updateIncomingPhoneNumber(number: IncomingPhoneNumberRecord, params: Params): void {
  applySettings(number, params);
  number.dateUpdated = new Date();
}

function applySettings(number: IncomingPhoneNumberRecord, params: Params): void {
  // Everything is checked before anything changes, so a refused update leaves the number as it was.
  const changes = SETTINGS.flatMap(([key, name, check]) => {
    const value = one(params, name);
    return value === undefined ? [] : [[key, check(value, name)] as const];
  });
  for (const [key, value] of changes) Object.assign(number, { [key]: value });
}

function optionalUrl(value: string, name: string): string | null {
  return value === '' ? null : httpUrl(value, name);
}

function httpMethod(value: string, name: string): string {
  const method = value.toUpperCase();
  if (method !== 'GET' && method !== 'POST') throw invalidParameter(name, 'must be GET or POST');
  return method;
}

/** Twilio's default friendly name: `(808) 925-5327` for a North American number, the number itself otherwise. */
function displayName(phoneNumber: string): string {
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(phoneNumber);
  return nanp ? `(${nanp[1]}) ${nanp[2]}-${nanp[3]}` : phoneNumber;
}
