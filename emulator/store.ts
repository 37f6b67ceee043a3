import type {
  AddressConfigurationRecord,
  ConversationRecord,
  IncomingPhoneNumberRecord,
  InteractionRecord,
  MessagingMessageRecord,
  ParticipantRecord,
  ServiceRecord,
} from './records';
import { isSid, newSid } from './sids';

/** What code outside the routes may see of the emulator's state: read-only views. */
export interface StoreReader {
  readonly defaultServiceSid: string;
  readonly services: ReadonlyMap<string, ServiceRecord>;
  readonly conversations: ReadonlyMap<string, ConversationRecord>;
  readonly messagingMessages: ReadonlyMap<string, MessagingMessageRecord>;
  readonly interactions: ReadonlyMap<string, InteractionRecord>;
  readonly incomingPhoneNumbers: ReadonlyMap<string, IncomingPhoneNumberRecord>;
  readonly addressConfigurations: ReadonlyMap<string, AddressConfigurationRecord>;
  findConversation(serviceSid: string, sidOrUniqueName: string): ConversationRecord | undefined;
}

/** All emulated Twilio state, in memory, in creation order. */
export class Store implements StoreReader {
  readonly services = new Map<string, ServiceRecord>();
  readonly conversations = new Map<string, ConversationRecord>();
  readonly messagingMessages = new Map<string, MessagingMessageRecord>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly incomingPhoneNumbers = new Map<string, IncomingPhoneNumberRecord>();
  readonly addressConfigurations = new Map<string, AddressConfigurationRecord>();
  private readonly defaultService: ServiceRecord;

  constructor() {
    this.defaultService = this.addService('Default Conversations Service');
  }

  get defaultServiceSid(): string {
    return this.defaultService.sid;
  }

  /** Creates a Conversations service. */
  addService(friendlyName: string): ServiceRecord {
    const service = { sid: newSid('IS'), friendlyName, dateCreated: new Date() };
    this.services.set(service.sid, service);
    return service;
  }

  /** Finds a conversation of the service by SID or, as Twilio allows in paths, by unique name. */
  findConversation(serviceSid: string, sidOrUniqueName: string): ConversationRecord | undefined {
    const inService = (c: ConversationRecord | undefined) => (c?.serviceSid === serviceSid ? c : undefined);
    if (isSid(sidOrUniqueName, 'CH')) return inService(this.conversations.get(sidOrUniqueName));
    return this.conversationsIn(serviceSid).find((c) => c.uniqueName === sidOrUniqueName);
  }

  /** The service's conversations in creation order. */
  conversationsIn(serviceSid: string): ConversationRecord[] {
    return [...this.conversations.values()].filter((c) => c.serviceSid === serviceSid);
  }

  /** The participant of another active conversation bound to this (address, proxy address) pair, if any. */
  activePairOwner(address: string, proxyAddress: string, exceptConversationSid: string): ParticipantRecord | undefined {
    for (const conversation of this.conversations.values()) {
      if (conversation.sid === exceptConversationSid || conversation.state !== 'active') continue;
      const owner = [...conversation.participants.values()].find(
        (p) => p.address === address && p.proxyAddress === proxyAddress,
      );
      if (owner) return owner;
    }
    return undefined;
  }

  /**
   * The participant bound to (address, proxy address) in a conversation that still takes messages: an active one
   * first, else an inactive one (a new message wakes it, as on Twilio). Closed conversations take none.
   */
  openPairOwner(address: string, proxyAddress: string): ParticipantRecord | undefined {
    const holders = [...this.conversations.values()].filter((c) => c.state !== 'closed');
    const ranked = [...holders.filter((c) => c.state === 'active'), ...holders.filter((c) => c.state === 'inactive')];
    for (const conversation of ranked) {
      const owner = [...conversation.participants.values()].find((p) => p.address === address && p.proxyAddress === proxyAddress);
      if (owner) return owner;
    }
    return undefined;
  }

  /** The number `address` reaches: `+1555…` or, for WhatsApp, `whatsapp:+1555…` (the number behind the sender). */
  findIncomingPhoneNumber(address: string): IncomingPhoneNumberRecord | undefined {
    const number = withoutChannel(address);
    return [...this.incomingPhoneNumbers.values()].find((n) => n.phoneNumber === number);
  }

  /** The address configuration by SID or by its address, as `/v1/Configuration/Addresses/{Sid}` allows. */
  findAddressConfiguration(sidOrAddress: string): AddressConfigurationRecord | undefined {
    return this.addressConfigurations.get(sidOrAddress) ?? [...this.addressConfigurations.values()].find((a) => a.address === sidOrAddress);
  }

  /** The configuration for texts to `address` on its channel: `whatsapp:+1…` matches type whatsapp, `+1…` type sms. */
  addressConfigurationFor(address: string): AddressConfigurationRecord | undefined {
    const type = channelOf(address);
    const number = withoutChannel(address);
    return [...this.addressConfigurations.values()].find((a) => a.type === type && withoutChannel(a.address) === number);
  }

  /** Forgets everything except the default service, which keeps its SID. */
  reset(): void {
    this.services.clear();
    this.services.set(this.defaultService.sid, this.defaultService);
    this.conversations.clear();
    this.messagingMessages.clear();
    this.interactions.clear();
    this.incomingPhoneNumbers.clear();
    this.addressConfigurations.clear();
  }
}

/** `whatsapp` for a `whatsapp:` address, else `sms`: the two channels the emulator routes. */
export function channelOf(address: string): 'sms' | 'whatsapp' {
  return address.startsWith('whatsapp:') ? 'whatsapp' : 'sms';
}

/** The address without its channel prefix (`whatsapp:+1555…` → `+1555…`). */
export function withoutChannel(address: string): string {
  return address.replace(/^whatsapp:/, '');
}
