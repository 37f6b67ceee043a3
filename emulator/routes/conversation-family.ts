import { Router } from 'express';
import type { RouteDeps } from '../route';
import { conversationRoutes } from './conversations';
import { messageRoutes } from './messages';
import { participantRoutes } from './participants';
import { webhookRoutes } from './webhooks';

/**
 * Everything under a conversations collection. The same router is mounted at `/v1/Conversations` and at
 * `/v1/Services/:ChatServiceSid/Conversations`, so both path families share one implementation.
 */
export function conversationFamilyRoutes(deps: RouteDeps): Router {
  const router = Router({ mergeParams: true });
  router.use('/:ConversationSid/Participants', participantRoutes(deps));
  router.use('/:ConversationSid/Webhooks', webhookRoutes(deps));
  router.use('/:ConversationSid/Messages', messageRoutes(deps));
  router.use('/', conversationRoutes(deps));
  return router;
}
