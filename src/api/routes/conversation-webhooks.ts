import type { Client } from '@temporalio/client';
import type { MetricMeter } from '@temporalio/common';
import { type Request, type Response, Router } from 'express';
import { type Config, CONVERSATION_WEBHOOK_PATH } from '../../config';
import type { InboundMessage } from '../../flow/effects';
import type { Logger } from '../../logger';
import { isSid } from '../../flow/sids';
import { deliverReply, isTemporalUnavailable, temporalFailureText } from '../../services/reply-delivery';
import type { ReplyRedelivery } from '../../services/reply-redelivery';
import { ApiError, badRequest, toTwilioErrorBody } from '../api-error';
import { conversationMessage } from '../inbound-params';
import { checkTwilioSignature } from '../middleware/twilio-signature';

const REQUIRED = ['MessageSid', 'ConversationSid', 'Author'] as const;

/**
 * `POST /webhooks/conversations/:executionSid/:conversationSid`: the conversation's onMessageAdded webhook. Checks
 * Twilio's signature against PUBLIC_BASE_URL and that the message is from the conversation the URL names (else 200,
 * ignored), then signals the execution with the message; the execution takes each
 * MessageSid once, so Twilio's retries are harmless. An unknown or ended execution is answered 200 (and logged) so
 * Twilio stops retrying. When Temporal cannot take the signal within its deadline (down, restarting), the answer is
 * 503 within Twilio's 5 s (so Twilio retries) and the reply is kept in `redelivery`, which retries it once Temporal
 * answers again.
 */
export function conversationWebhookRoutes(
  temporal: Client,
  config: Config,
  logger: Logger,
  meter: MetricMeter,
  redelivery: ReplyRedelivery,
): Router {
  const router = Router();
  const webhooks = meter.createCounter('studio_webhooks', 'webhooks', 'onMessageAdded webhooks received, by outcome');
  const receive = async (req: Request<{ executionSid: string; conversationSid?: string }>, res: Response) => {
    const { executionSid, conversationSid } = req.params;
    let outcome = 'failed'; // until the handler says otherwise: a Temporal error answers 500
    res.once('finish', () => webhooks.add(1, { outcome }));
    outcome = 'rejected_signature';
    const params = checkTwilioSignature(req, config, logger);
    outcome = 'malformed';
    const message = inboundMessage(params);
    outcome = 'ignored_flow_message';
    if (message.Author === config.flowMessageAuthor) return void res.json({ ignored: 'authored by the flow' });
    // Only an execution can take a message: never signal a flow's workflow, a contact lock or a subflow's by its ID.
    // As for an unknown execution (DESIGN §7): 200 and a log line, so Twilio stops retrying.
    outcome = 'ignored_no_execution';
    if (!isSid(executionSid, 'FN')) {
      logger.info('webhook for an ID that is not an execution SID ignored', { executionSid, messageSid: message.MessageSid });
      return void res.json({ ignored: 'no active execution' });
    }
    // The signed URL names the conversation the execution registered it on: a message from any other conversation
    // is not the contact's reply (a service-level webhook pointed here, a URL copied onto another conversation).
    if (conversationSid !== undefined && message.ConversationSid !== conversationSid) {
      outcome = 'ignored_other_conversation';
      logger.warn('webhook for another conversation than the execution\'s ignored', {
        executionSid,
        messageSid: message.MessageSid,
        conversationSid: message.ConversationSid,
        executionConversationSid: conversationSid,
      });
      return void res.json({ ignored: `message from conversation ${message.ConversationSid}, not the execution's ${conversationSid}` });
    }
    outcome = 'failed';
    const fields = { executionSid, messageSid: message.MessageSid };
    let delivery;
    try {
      delivery = await deliverReply(temporal, executionSid, message);
    } catch (err) {
      if (!isTemporalUnavailable(err)) throw err;
      outcome = 'unavailable';
      redelivery.add(executionSid, message);
      logger.warn('Temporal did not take the reply; answered 503 and kept it for redelivery', { ...fields, error: temporalFailureText(err) });
      const unavailable = new ApiError(503, 20503, 'Temporal is unavailable; the message is kept and will be delivered when it is back');
      return void res.status(503).set('Retry-After', '5').json(toTwilioErrorBody(unavailable));
    }
    // Temporal takes signals again: replies kept during an outage need not wait for their next backoff.
    redelivery.resume();
    if (delivery === 'no_execution') {
      outcome = 'ignored_no_execution';
      logger.info('webhook for an unknown or ended execution ignored', fields);
      return void res.json({ ignored: 'no active execution' });
    }
    outcome = 'delivered';
    logger.debug('reply signalled to the execution', fields);
    res.json({ delivered: message.MessageSid });
  };
  // The URL each webhook is registered with (config.conversationWebhookUrl), and the shorter one executions started
  // before it named the conversation still have; for those, the execution alone checks the conversation.
  router.post(`${CONVERSATION_WEBHOOK_PATH}/:executionSid/:conversationSid`, receive);
  router.post(`${CONVERSATION_WEBHOOK_PATH}/:executionSid`, receive);
  return router;
}

/** The onMessageAdded fields the flow sees as `widgets.<name>.inbound.*`. */
function inboundMessage(params: Record<string, string | string[] | undefined>): InboundMessage {
  const field = (name: string): string => {
    const value = params[name];
    if (Array.isArray(value)) throw badRequest(`Malformed onMessageAdded: ${name} is repeated`);
    return value ?? '';
  };
  if (field('EventType') !== 'onMessageAdded') throw badRequest(`Only onMessageAdded is accepted here, not ${JSON.stringify(field('EventType'))}`);
  const missing = REQUIRED.filter((name) => field(name) === '');
  if (missing.length > 0) throw badRequest(`Malformed onMessageAdded: missing ${missing.join(', ')}`);
  const fields: Record<string, string> = {};
  for (const name of Object.keys(params)) fields[name] = field(name);
  return conversationMessage(fields);
}
