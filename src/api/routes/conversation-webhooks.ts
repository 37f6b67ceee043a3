import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { MetricMeter } from '@temporalio/common';
import { Router } from 'express';
import { type Config, CONVERSATION_WEBHOOK_PATH } from '../../config';
import type { InboundMessage } from '../../flow/effects';
import type { Logger } from '../../logger';
import { incomingMessageSignal } from '../../workflows/execution/execution-messages';
import { isSid } from '../../flow/sids';
import { badRequest } from '../errors';
import { checkTwilioSignature } from '../middleware/twilio-signature';

/** Twilio gives a webhook 5 s; the signal must land well within that. */
const SIGNAL_DEADLINE_MS = 4_000;
const REQUIRED = ['MessageSid', 'ConversationSid', 'Author'] as const;

/**
 * `POST /webhooks/conversations/:executionSid`: the conversation's onMessageAdded webhook. Checks Twilio's
 * signature against PUBLIC_BASE_URL, then signals the execution with the message; the execution takes each
 * MessageSid once, so Twilio's retries are harmless. An unknown or ended execution is answered 200 (and logged) so
 * Twilio stops retrying.
 */
export function conversationWebhookRoutes(temporal: Client, config: Config, logger: Logger, meter: MetricMeter): Router {
  const router = Router();
  const webhooks = meter.createCounter('studio_webhooks', 'webhooks', 'onMessageAdded webhooks received, by outcome');
  router.post(`${CONVERSATION_WEBHOOK_PATH}/:executionSid`, async (req, res) => {
    const { executionSid } = req.params;
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
    outcome = 'failed';
    try {
      await temporal.connection.withDeadline(Date.now() + SIGNAL_DEADLINE_MS, () =>
        temporal.workflow.getHandle(executionSid).signal(incomingMessageSignal, message),
      );
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      outcome = 'ignored_no_execution';
      logger.info('webhook for an unknown or ended execution ignored', { executionSid, messageSid: message.MessageSid });
      return void res.json({ ignored: 'no active execution' });
    }
    outcome = 'delivered';
    logger.debug('reply signalled to the execution', { executionSid, messageSid: message.MessageSid });
    res.json({ delivered: message.MessageSid });
  });
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
  return {
    MessageSid: field('MessageSid'),
    ConversationSid: field('ConversationSid'),
    Body: field('Body'),
    Author: field('Author'),
    ParticipantSid: field('ParticipantSid'),
    Index: field('Index'),
    Attributes: field('Attributes') || '{}',
    DateCreated: field('DateCreated'),
    Source: field('Source'),
  };
}
