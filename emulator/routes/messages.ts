import { Router } from 'express';
import { invalidParameter } from '../errors';
import { addMessage } from '../operations/messages';
import { paginate } from '../paging';
import { bodyParams, one, queryParams } from '../params';
import { renderMessage } from '../resources/conversations';
import { created, ok, type RouteDeps, twilioRoute } from '../route';
import { conversationUrl, resolveChild, resolveConversation } from '../scope';

/** Message create/list/fetch under `…/Conversations/{ConversationSid}/Messages`. */
export function messageRoutes(deps: RouteDeps): Router {
  const { faults, dispatcher } = deps;
  const router = Router({ mergeParams: true });

  router.post(
    '/',
    twilioRoute(faults, 'messages.create', (req) => {
      const { scope, conversation } = resolveConversation(deps, req);
      const message = addMessage(conversation, bodyParams(req));
      // As on Twilio, REST-created messages fire webhooks only when the caller asks for it.
      if (req.get('x-twilio-webhook-enabled') === 'true') dispatcher.messageAdded(conversation, message);
      return created(renderMessage(scope, message));
    }),
  );
  router.get(
    '/',
    twilioRoute(faults, 'messages.list', (req) => {
      const { scope, conversation } = resolveConversation(deps, req);
      const query = queryParams(req);
      const order = one(query, 'Order');
      if (order !== undefined && order !== 'asc' && order !== 'desc')
        throw invalidParameter('Order', 'must be asc or desc');
      const messages = order === 'desc' ? [...conversation.messages].reverse() : conversation.messages;
      const url = `${conversationUrl(scope, conversation.sid)}/Messages`;
      const filters: [string, string][] = order === undefined ? [] : [['Order', order]];
      return ok(paginate(messages, query, { url, key: 'messages', filters }, (m) => renderMessage(scope, m)));
    }),
  );
  router.get(
    '/:Sid',
    twilioRoute(faults, 'messages.fetch', (req) => {
      const { scope, item } = resolveChild(deps, req, 'Messages', (c) => c.messages);
      return ok(renderMessage(scope, item));
    }),
  );
  return router;
}
