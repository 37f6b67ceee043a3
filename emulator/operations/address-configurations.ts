import { invalidParameter } from '../errors';
import { many, one, type Params } from '../params';
import type { AddressConfigurationRecord, AutoCreationType } from '../records';
import { newSid } from '../sids';
import type { Store } from '../store';
import { httpUrl, maxLength, nonNegativeInteger, optionalParam, sidOf } from '../validate';

const TYPES = ['sms', 'whatsapp'] as const;
const AUTO_CREATION_TYPES: readonly AutoCreationType[] = ['webhook', 'studio', 'default'];

/**
 * Creates an address configuration (`POST /v1/Configuration/Addresses`): `Type` (sms or whatsapp, the channels the
 * emulator routes) and `Address` are required, one configuration per address; `AutoCreation.*` as in the OAI.
 */
export function createAddressConfiguration(store: Store, params: Params): AddressConfigurationRecord {
  const typeParam = one(params, 'Type');
  const type = TYPES.find((t) => t === typeParam);
  if (!type) throw invalidParameter('Type', `is required and must be one of ${TYPES.join(', ')} (the channels the emulator routes)`);
  const address = optionalParam(params, 'Address', maxLength(256));
  if (address === null || address === '') throw invalidParameter('Address', 'is required');
  const holder = store.findAddressConfiguration(address);
  if (holder) throw invalidParameter('Address', `${address} already has an address configuration (${holder.sid})`);
  const now = new Date();
  const configuration: AddressConfigurationRecord = {
    sid: newSid('IG'),
    type,
    address,
    addressCountry: optionalParam(params, 'AddressCountry', countryCode),
    friendlyName: optionalParam(params, 'FriendlyName', maxLength(256)),
    autoCreation: autoCreationFrom(store, params, {
      enabled: false,
      type: 'default',
      conversationServiceSid: null,
      webhookUrl: null,
      webhookMethod: null,
      webhookFilters: [],
      studioFlowSid: null,
      studioRetryCount: null,
    }),
    dateCreated: now,
    dateUpdated: now,
  };
  store.addressConfigurations.set(configuration.sid, configuration);
  return configuration;
}

/** Applies update params (`FriendlyName`, `AutoCreation.*`); `Type` and `Address` cannot change, as on Twilio. */
export function updateAddressConfiguration(store: Store, configuration: AddressConfigurationRecord, params: Params): void {
  const autoCreation = autoCreationFrom(store, params, configuration.autoCreation);
  const friendlyName = optionalParam(params, 'FriendlyName', maxLength(256));
  configuration.autoCreation = autoCreation;
  if (friendlyName !== null) configuration.friendlyName = friendlyName;
  configuration.dateUpdated = new Date();
}

/**
 * The auto-creation settings after `params`, checked as a whole: type `webhook` needs `AutoCreation.WebhookUrl`
 * (method POST and filter `onMessageAdded` unless given), type `studio` needs `AutoCreation.StudioFlowSid`, a named
 * Conversations service must exist.
 */
function autoCreationFrom(
  store: Store,
  params: Params,
  current: AddressConfigurationRecord['autoCreation'],
): AddressConfigurationRecord['autoCreation'] {
  const next = { ...current };
  const enabled = one(params, 'AutoCreation.Enabled');
  if (enabled !== undefined) {
    if (!/^(true|false)$/i.test(enabled)) throw invalidParameter('AutoCreation.Enabled', 'must be true or false');
    next.enabled = enabled.toLowerCase() === 'true';
  }
  const typeParam = one(params, 'AutoCreation.Type');
  if (typeParam !== undefined) {
    const type = AUTO_CREATION_TYPES.find((t) => t === typeParam);
    if (!type) throw invalidParameter('AutoCreation.Type', `must be one of ${AUTO_CREATION_TYPES.join(', ')}`);
    next.type = type;
  }
  const serviceSid = optionalParam(params, 'AutoCreation.ConversationServiceSid', sidOf('IS'));
  if (serviceSid !== null) {
    if (!store.services.has(serviceSid)) throw invalidParameter('AutoCreation.ConversationServiceSid', `no Conversations service ${serviceSid}`);
    next.conversationServiceSid = serviceSid;
  }
  next.webhookUrl = optionalParam(params, 'AutoCreation.WebhookUrl', httpUrl) ?? next.webhookUrl;
  const method = one(params, 'AutoCreation.WebhookMethod');
  if (method !== undefined && !/^(get|post)$/i.test(method)) throw invalidParameter('AutoCreation.WebhookMethod', 'must be GET or POST');
  next.webhookMethod = method ?? next.webhookMethod;
  const filters = many(params, 'AutoCreation.WebhookFilters');
  if (filters.length > 0) next.webhookFilters = filters;
  next.studioFlowSid = optionalParam(params, 'AutoCreation.StudioFlowSid', sidOf('FW')) ?? next.studioFlowSid;
  next.studioRetryCount = optionalParam(params, 'AutoCreation.StudioRetryCount', nonNegativeInteger) ?? next.studioRetryCount;
  if (next.type === 'webhook') {
    if (next.webhookUrl === null) throw invalidParameter('AutoCreation.WebhookUrl', 'is required for auto-creation type webhook');
    next.webhookMethod ??= 'POST';
    if (next.webhookFilters.length === 0) next.webhookFilters = ['onMessageAdded'];
  }
  if (next.type === 'studio' && next.studioFlowSid === null) {
    throw invalidParameter('AutoCreation.StudioFlowSid', 'is required for auto-creation type studio');
  }
  return next;
}

function countryCode(value: string, name: string): string {
  if (!/^[A-Z]{2}$/.test(value)) throw invalidParameter(name, 'must be an ISO 3166-1 alpha-2 country code such as US');
  return value;
}
