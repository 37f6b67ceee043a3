import { Router } from 'express';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import { ApiError, notFound } from '../api-error';
import { checkTwilioSignature } from '../middleware/twilio-signature';
import { flowUrl, type ResourceContext } from '../resources/flow-resources';
import { requireSids } from '../sid-params';

/**
 * Studio's flow webhook URL (`webhook_url`, for incoming calls and messages). Like every webhook it is checked before
 * anything is answered: Twilio's signature (400 missing, 403 wrong), then the account. This runtime starts executions
 * through the REST API only, so a genuine request is answered 501, an expected answer logged as a warning.
 */
export function flowWebhookRoutes(config: Config, logger: Logger, ctx: ResourceContext): Router {
  const router = Router();
  requireSids(router, { accountSid: 'AC', sid: 'FW' });
  router.post('/v1/Accounts/:accountSid/Flows/:sid', (req) => {
    checkTwilioSignature(req, config, logger);
    if (req.params.accountSid !== ctx.accountSid) throw notFound(`/Accounts/${req.params.accountSid}/Flows/${req.params.sid}`);
    const message = `Incoming calls and messages do not start executions here; start one with POST ${flowUrl(ctx, req.params.sid)}/Executions`;
    throw new ApiError(501, 20001, message);
  });
  return router;
}
