import { invalidParameter, TwilioError } from '../errors';
import { one, type Params } from '../params';
import type { ConversationRecord, ParticipantRecord } from '../records';
import { newSid } from '../sids';
import type { Store } from '../store';
import { jsonText, maxLength, optionalParam, sidOf } from '../validate';

/**
 * Adds a participant, enforcing Twilio's binding rules: 50409 (address equals proxy address), 50437 (already
 * in this conversation) and 50416 (the address/proxy pair belongs to another active conversation).
 */
export function addParticipant(store: Store, conversation: ConversationRecord, params: Params): ParticipantRecord {
  const identity = optionalParam(params, 'Identity', maxLength(256));
  const address = optionalParam(params, 'MessagingBinding.Address', maxLength(256));
  const proxyAddress = optionalParam(params, 'MessagingBinding.ProxyAddress', maxLength(256));
  if (identity === null && address === null) {
    throw invalidParameter('Identity', 'a participant needs Identity or MessagingBinding.Address');
  }
  if (proxyAddress !== null && address === null) {
    throw invalidParameter('MessagingBinding.Address', 'is required with MessagingBinding.ProxyAddress');
  }
  if (address !== null && address === proxyAddress) {
    throw new TwilioError(400, 50409, 'MessagingBinding.Address and MessagingBinding.ProxyAddress must differ');
  }
  assertNotInConversation(conversation, identity, address, proxyAddress);
  assertPairFree(store, conversation, address, proxyAddress);
  const participant: ParticipantRecord = {
    sid: newSid('MB'),
    conversationSid: conversation.sid,
    identity,
    address,
    proxyAddress,
    projectedAddress: one(params, 'MessagingBinding.ProjectedAddress') ?? null,
    attributes: optionalParam(params, 'Attributes', jsonText) ?? '{}',
    roleSid: optionalParam(params, 'RoleSid', sidOf('RL')),
    dateCreated: new Date(),
  };
  conversation.participants.set(participant.sid, participant);
  return participant;
}

/** The participant a message author stands for: matched by identity or by messaging address. */
export function participantForAuthor(conversation: ConversationRecord, author: string): ParticipantRecord | undefined {
  return [...conversation.participants.values()].find((p) => p.identity === author || p.address === author);
}

function assertNotInConversation(
  conversation: ConversationRecord,
  identity: string | null,
  address: string | null,
  proxyAddress: string | null,
): void {
  const duplicate = [...conversation.participants.values()].find(
    (p) =>
      (identity !== null && p.identity === identity) ||
      (address !== null && p.address === address && p.proxyAddress === proxyAddress),
  );
  if (duplicate) {
    throw new TwilioError(409, 50437, `A matching participant (${duplicate.sid}) is already in this conversation`);
  }
}

function assertPairFree(
  store: Store,
  conversation: ConversationRecord,
  address: string | null,
  proxyAddress: string | null,
): void {
  if (address === null || proxyAddress === null) return;
  const owner = store.activePairOwner(address, proxyAddress, conversation.sid);
  if (owner) {
    throw new TwilioError(
      409,
      50416,
      `A participant with this address and proxy address is already in active conversation ${owner.conversationSid}`,
    );
  }
}
