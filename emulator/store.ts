import type {
  ConversationRecord,
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
  findConversation(serviceSid: string, sidOrUniqueName: string): ConversationRecord | undefined;
}

/** All emulated Twilio state, in memory, in creation order. */
export class Store implements StoreReader {
  readonly services = new Map<string, ServiceRecord>();
  readonly conversations = new Map<string, ConversationRecord>();
  readonly messagingMessages = new Map<string, MessagingMessageRecord>();
  readonly interactions = new Map<string, InteractionRecord>();
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

  /** Forgets everything except the default service, which keeps its SID. */
  reset(): void {
    this.services.clear();
    this.services.set(this.defaultService.sid, this.defaultService);
    this.conversations.clear();
    this.messagingMessages.clear();
    this.interactions.clear();
  }
}
