import { type Request, Router } from 'express';
import { addWebhook } from '../operations/webhooks';
import { paginate } from '../paging';
import { bodyParams, queryParams } from '../params';
import { renderWebhook } from '../resources/conversations';
import { created, noContent, ok, type RouteDeps, twilioRoute } from '../route';
import { conversationUrl, resolveChild, resolveConversation } from '../scope';

/** Conversation-scoped webhook create/list/fetch/delete under `…/Conversations/{ConversationSid}/Webhooks`. */
export function webhookRoutes(deps: RouteDeps): Router {
  const { faults, dispatcher } = deps;
  const router = Router({ mergeParams: true });
  const resolveWebhook = (req: Request) => resolveChild(deps, req, 'Webhooks', (c) => c.webhooks.values());

  router.post(
    '/',
    twilioRoute(faults, 'webhooks.create', (req) => {
      const { scope, conversation } = resolveConversation(deps, req);
      const webhook = addWebhook(conversation, bodyParams(req));
      dispatcher.replay(conversation, webhook);
      return created(renderWebhook(scope, webhook));
    }),
  );
  router.get(
    '/',
    twilioRoute(faults, 'webhooks.list', (req) => {
      const { scope, conversation } = resolveConversation(deps, req);
      const options = { url: `${conversationUrl(scope, conversation.sid)}/Webhooks`, key: 'webhooks' };
      return ok(
        paginate([...conversation.webhooks.values()], queryParams(req), options, (w) => renderWebhook(scope, w)),
      );
    }),
  );
  router.get(
    '/:Sid',
    twilioRoute(faults, 'webhooks.fetch', (req) => {
      const { scope, item } = resolveWebhook(req);
      return ok(renderWebhook(scope, item));
    }),
  );
  router.delete(
    '/:Sid',
    twilioRoute(faults, 'webhooks.delete', (req) => {
      const { conversation, item } = resolveWebhook(req);
      conversation.webhooks.delete(item.sid);
      return noContent;
    }),
  );
  return router;
}
