import { type Response, Router } from 'express';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import { ExecutionStartingError, type InboundOutcome, type InboundRouter, MESSAGING_ROUTING_DEADLINE_MS } from '../../services/inbound-router';
import { ApiError, notFound } from '../api-error';
import { conversationMessage, inboundConversationChannel, readFlowWebhook } from '../inbound-params';
import { checkTwilioSignature } from '../middleware/twilio-signature';
import { requireSids } from '../sid-params';

/** Empty TwiML: Studio answers an inbound message itself, through the flow's widgets, never in the webhook's answer. */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
/** This runtime runs no voice widgets (DESIGN.md §1): a call to a flow is rejected, so the caller hears it at once. */
const REJECT_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Reject/></Response>';

/**
 * Studio's flow webhook URL (`webhook_url`, DESIGN.md §8): `POST /v1/Accounts/{AccountSid}/Flows/{FlowSid}`. Checked
 * first: Twilio's signature (400 missing, 403 wrong), the account, then the body (400). A Programmable Messaging
 * webhook (SMS, MMS, WhatsApp) is routed by its `From` and answered with empty TwiML; a Conversations onMessageAdded
 * webhook by its conversation, answered with JSON; a voice webhook is rejected with TwiML and logged. An unknown or
 * unpublished flow is Twilio's error body, before anything is started or signalled.
 */
export function flowWebhookRoutes(config: Config, logger: Logger, router: InboundRouter): Router {
  const routes = Router();
  requireSids(routes, { accountSid: 'AC', sid: 'FW' });
  routes.post('/v1/Accounts/:accountSid/Flows/:sid', async (req, res) => {
    const params = checkTwilioSignature(req, config, logger);
    const flowSid = req.params.sid;
    if (req.params.accountSid !== config.twilio.accountSid) throw notFound(`/Accounts/${req.params.accountSid}/Flows/${flowSid}`);
    const webhook = readFlowWebhook(params, config.twilio.accountSid);
    if (webhook.kind === 'voice') {
      logger.warn('incoming call to a flow rejected: studio-temporal runs no voice widgets', { flowSid, callSid: webhook.callSid });
      return void res.type('text/xml').send(REJECT_TWIML);
    }
    if (webhook.kind === 'messaging') {
      const { message } = webhook;
      const trigger = { kind: 'message' as const, message };
      const outcome = await routed(router.route({ flowSid, contact: message.From, from: message.To, message, trigger, deadlineMs: MESSAGING_ROUTING_DEADLINE_MS }));
      logOutcome(logger, outcome, { flowSid, messageSid: message.MessageSid, channel: 'messaging' });
      return void res.type('text/xml').send(EMPTY_TWIML);
    }
    const { fields } = webhook;
    if (webhook.eventType !== 'onMessageAdded') return void res.json({ ignored: `${webhook.eventType || 'an event without EventType'} does not reach flows; only onMessageAdded does` });
    const message = conversationMessage(fields);
    if (message.Author === config.flowMessageAuthor) return void res.json({ ignored: 'authored by the flow' });
    const channel = inboundConversationChannel(fields);
    const trigger = { kind: 'conversation' as const, conversation: fields, channel, contactAddress: message.Author };
    const outcome = await routed(router.route({ flowSid, contact: message.ConversationSid, from: channel.address, message, trigger }));
    logOutcome(logger, outcome, { flowSid, messageSid: message.MessageSid, channel: 'conversation' });
    answerConversation(res, outcome);
  });
  return routes;
}

/** A contact's execution still starting after the deadline is a 503: Twilio sends the message again. */
async function routed(outcome: Promise<InboundOutcome>): Promise<InboundOutcome> {
  try {
    return await outcome;
  } catch (err) {
    if (err instanceof ExecutionStartingError) throw new ApiError(503, 20503, err.message);
    throw err;
  }
}

function answerConversation(res: Response, outcome: InboundOutcome): void {
  if (outcome.kind === 'started') res.json({ started: outcome.executionSid });
  else if (outcome.kind === 'delivered') res.json({ delivered: outcome.executionSid });
  else res.json({ ignored: `already taken by execution ${outcome.executionSid}` });
}

function logOutcome(logger: Logger, outcome: InboundOutcome, fields: Record<string, unknown>): void {
  const line = { ...fields, executionSid: outcome.executionSid };
  if (outcome.kind === 'started') logger.info('inbound message started an execution', line);
  else if (outcome.kind === 'delivered') logger.debug('inbound message signalled to the contact’s execution', line);
  else logger.info('inbound message taken before (a redelivery) ignored', line);
}
