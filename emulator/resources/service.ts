import type { ServiceRecord } from '../records';
import { CONVERSATIONS_ORIGIN } from '../scope';
import { isoSeconds } from '../time';

const LINKS = {
  conversations: 'Conversations',
  users: 'Users',
  roles: 'Roles',
  bindings: 'Bindings',
  configuration: 'Configuration',
  participant_conversations: 'ParticipantConversations',
  conversation_with_participants: 'ConversationWithParticipants',
};

/** The Conversations service resource (`conversations.v1.service`). */
export function renderService(accountSid: string, service: ServiceRecord): Record<string, unknown> {
  const url = `${CONVERSATIONS_ORIGIN}/v1/Services/${service.sid}`;
  return {
    sid: service.sid,
    account_sid: accountSid,
    friendly_name: service.friendlyName,
    date_created: isoSeconds(service.dateCreated),
    date_updated: isoSeconds(service.dateCreated),
    url,
    links: Object.fromEntries(Object.entries(LINKS).map(([key, path]) => [key, `${url}/${path}`])),
  };
}
