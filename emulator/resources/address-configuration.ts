import type { AddressConfigurationRecord } from '../records';
import { CONVERSATIONS_ORIGIN } from '../scope';
import { isoSeconds } from '../time';

/** The collection's URL on Twilio's domain. */
export const ADDRESS_CONFIGURATIONS_URL = `${CONVERSATIONS_ORIGIN}/v1/Configuration/Addresses`;

/**
 * The address configuration resource (`conversations.v1.configuration_address`). `auto_creation` carries the keys of
 * its type, as in the OAI examples; a conversation is created in the default service unless one is named.
 */
export function renderAddressConfiguration(
  accountSid: string,
  defaultServiceSid: string,
  a: AddressConfigurationRecord,
): Record<string, unknown> {
  return {
    sid: a.sid,
    account_sid: accountSid,
    type: a.type,
    address: a.address,
    friendly_name: a.friendlyName,
    auto_creation: autoCreation(a, defaultServiceSid),
    date_created: isoSeconds(a.dateCreated),
    date_updated: isoSeconds(a.dateUpdated),
    url: `${ADDRESS_CONFIGURATIONS_URL}/${a.sid}`,
    address_country: a.addressCountry,
  };
}

function autoCreation(a: AddressConfigurationRecord, defaultServiceSid: string): Record<string, unknown> {
  const { enabled, type } = a.autoCreation;
  const service = { conversation_service_sid: a.autoCreation.conversationServiceSid ?? defaultServiceSid };
  if (type === 'webhook') {
    const { webhookUrl, webhookMethod, webhookFilters } = a.autoCreation;
    return { enabled, type, ...service, webhook_url: webhookUrl, webhook_method: webhookMethod, webhook_filters: webhookFilters };
  }
  if (type === 'studio') {
    const { studioFlowSid, studioRetryCount } = a.autoCreation;
    return { enabled, type, ...service, studio_flow_sid: studioFlowSid, studio_retry_count: studioRetryCount };
  }
  return { enabled, type, ...service };
}
