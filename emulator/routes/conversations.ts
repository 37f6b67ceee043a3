import { Router } from 'express';
import { createConversation, stateCheck, updateConversation } from '../operations/conversations';
import { paginate } from '../paging';
import { bodyParams, queryParams } from '../params';
import { renderConversation } from '../resources/conversations';
import { created, noContent, ok, type RouteDeps, twilioRoute } from '../route';
import { conversationsUrl, resolveConversation, resolveScope } from '../scope';
import { optionalParam } from '../validate';

/** Conversation create/list/fetch/update/delete, for either path family. */
export function conversationRoutes(deps: RouteDeps): Router {
  const { store, faults } = deps;
  const router = Router({ mergeParams: true });

  router.post(
    '/',
    twilioRoute(faults, 'conversations.create', (req) => {
      const scope = resolveScope(deps, req);
      return created(renderConversation(scope, createConversation(store, scope.service.sid, bodyParams(req))));
    }),
  );
  router.get(
    '/',
    twilioRoute(faults, 'conversations.list', (req) => {
      const scope = resolveScope(deps, req);
      const query = queryParams(req);
      const state = optionalParam(query, 'State', stateCheck);
      const items = store.conversationsIn(scope.service.sid).filter((c) => state === null || c.state === state);
      const filters: [string, string][] = state === null ? [] : [['State', state]];
      return ok(
        paginate(items, query, { url: conversationsUrl(scope), key: 'conversations', filters }, (c) =>
          renderConversation(scope, c),
        ),
      );
    }),
  );
  router.get(
    '/:ConversationSid',
    twilioRoute(faults, 'conversations.fetch', (req) => {
      const { scope, conversation } = resolveConversation(deps, req);
      return ok(renderConversation(scope, conversation));
    }),
  );
  router.post(
    '/:ConversationSid',
    twilioRoute(faults, 'conversations.update', (req) => {
      const { scope, conversation } = resolveConversation(deps, req);
      updateConversation(store, conversation, bodyParams(req));
      return ok(renderConversation(scope, conversation));
    }),
  );
  router.delete(
    '/:ConversationSid',
    twilioRoute(faults, 'conversations.delete', (req) => {
      // Participants, webhooks and messages live inside the record, so they go with it.
      store.conversations.delete(resolveConversation(deps, req).conversation.sid);
      return noContent;
    }),
  );
  return router;
}
