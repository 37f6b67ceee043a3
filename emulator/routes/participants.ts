import { type Request, Router } from 'express';
import { addParticipant } from '../operations/participants';
import { paginate } from '../paging';
import { bodyParams, queryParams } from '../params';
import { renderParticipant } from '../resources/conversations';
import { created, noContent, ok, type RouteDeps, twilioRoute } from '../route';
import { conversationUrl, resolveChild, resolveConversation } from '../scope';

/** Participant create/list/fetch/delete under `…/Conversations/{ConversationSid}/Participants`. */
export function participantRoutes(deps: RouteDeps): Router {
  const { store, faults } = deps;
  const router = Router({ mergeParams: true });
  const resolveParticipant = (req: Request) => resolveChild(deps, req, 'Participants', (c) => c.participants.values());

  router.post(
    '/',
    twilioRoute(faults, 'participants.create', (req) => {
      const { scope, conversation } = resolveConversation(deps, req);
      return created(renderParticipant(scope, addParticipant(store, conversation, bodyParams(req))));
    }),
  );
  router.get(
    '/',
    twilioRoute(faults, 'participants.list', (req) => {
      const { scope, conversation } = resolveConversation(deps, req);
      const options = { url: `${conversationUrl(scope, conversation.sid)}/Participants`, key: 'participants' };
      const participants = [...conversation.participants.values()];
      return ok(paginate(participants, queryParams(req), options, (p) => renderParticipant(scope, p)));
    }),
  );
  router.get(
    '/:Sid',
    twilioRoute(faults, 'participants.fetch', (req) => {
      const { scope, item } = resolveParticipant(req);
      return ok(renderParticipant(scope, item));
    }),
  );
  router.delete(
    '/:Sid',
    twilioRoute(faults, 'participants.delete', (req) => {
      const { conversation, item } = resolveParticipant(req);
      conversation.participants.delete(item.sid);
      return noContent;
    }),
  );
  return router;
}
