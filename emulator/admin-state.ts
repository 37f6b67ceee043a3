import type { DeliveryQueueState } from './delivery-slots';
import type { DeliveryAttempt } from './records';
import { renderAddressConfiguration } from './resources/address-configuration';
import { renderIncomingPhoneNumber } from './resources/incoming-phone-number';
import { renderConversation, renderMessage, renderParticipant, renderWebhook } from './resources/conversations';
import { renderInteraction } from './resources/interaction';
import { renderMessagingMessage } from './resources/messaging-message';
import { renderService } from './resources/service';
import type { Scope } from './scope';
import type { StoreReader } from './store';

/** Everything the emulator holds, as the admin view shows it. */
export interface AdminState {
  readonly default_service_sid: string;
  readonly services: readonly Record<string, unknown>[];
  readonly conversations: readonly Record<string, unknown>[];
  readonly messaging_messages: readonly Record<string, unknown>[];
  readonly interactions: readonly Record<string, unknown>[];
  readonly incoming_phone_numbers: readonly Record<string, unknown>[];
  readonly address_configurations: readonly Record<string, unknown>[];
  readonly webhook_deliveries: readonly DeliveryAttempt[];
  /** The webhook concurrency limit and the requests in flight and waiting now. */
  readonly webhook_queue: DeliveryQueueState;
}

/**
 * A JSON-ready snapshot of the state: each conversation carries its participants, webhooks and messages;
 * `messaging_messages` holds both directions (`direction`: `outbound-api` or `inbound`).
 */
export function adminState(
  accountSid: string,
  store: StoreReader,
  deliveries: readonly DeliveryAttempt[],
  queue: DeliveryQueueState,
): AdminState {
  return {
    default_service_sid: store.defaultServiceSid,
    services: [...store.services.values()].map((s) => renderService(accountSid, s)),
    conversations: [...store.conversations.values()].map((c) => {
      const service = store.services.get(c.serviceSid);
      // A conversation outlives nothing: its service is only removed by reset, which removes it too.
      if (!service) throw new Error(`conversation ${c.sid} has no service ${c.serviceSid}`);
      const scope: Scope = { accountSid, service, servicePath: true };
      return {
        ...renderConversation(scope, c),
        participants: [...c.participants.values()].map((p) => renderParticipant(scope, p)),
        webhooks: [...c.webhooks.values()].map((w) => renderWebhook(scope, w)),
        messages: c.messages.map((m) => renderMessage(scope, m)),
      };
    }),
    messaging_messages: [...store.messagingMessages.values()].map((m) => renderMessagingMessage(accountSid, m)),
    interactions: [...store.interactions.values()].map(renderInteraction),
    incoming_phone_numbers: [...store.incomingPhoneNumbers.values()].map((n) => renderIncomingPhoneNumber(accountSid, n)),
    address_configurations: [...store.addressConfigurations.values()].map((a) =>
      renderAddressConfiguration(accountSid, store.defaultServiceSid, a),
    ),
    webhook_deliveries: deliveries,
    webhook_queue: queue,
  };
}
