import { one, type Params } from '../params';
import type { ConversationRecord, MessageRecord, MessageSource } from '../records';
import { newSid } from '../sids';
import { jsonText, maxLength, optionalParam, sidOf } from '../validate';
import { participantForAuthor } from './participants';

/**
 * Appends a message; `index` counts up per conversation from 0 and the author is matched to a participant. `source`
 * is `API` for REST calls and the channel (`SMS`, `WHATSAPP`) for a contact's text routed into the conversation.
 */
export function addMessage(conversation: ConversationRecord, params: Params, source: MessageSource = 'API'): MessageRecord {
  const author = one(params, 'Author') ?? 'system';
  const contentSid = optionalParam(params, 'ContentSid', sidOf('HX'));
  const message: MessageRecord = {
    sid: newSid('IM'),
    conversationSid: conversation.sid,
    index: conversation.nextMessageIndex,
    author,
    // Twilio renders the content template into the body; templates are not emulated, so there is none.
    body: contentSid === null ? optionalParam(params, 'Body', maxLength(1600)) : null,
    attributes: optionalParam(params, 'Attributes', jsonText) ?? '{}',
    mediaSid: optionalParam(params, 'MediaSid', sidOf('ME')),
    contentSid,
    contentVariables: optionalParam(params, 'ContentVariables', jsonText),
    subject: optionalParam(params, 'Subject', maxLength(256)),
    participantSid: participantForAuthor(conversation, author)?.sid ?? null,
    source,
    dateCreated: new Date(),
  };
  conversation.messages.push(message);
  conversation.nextMessageIndex += 1;
  return message;
}
