import { type Config, flowWebhookPath } from '../../config';
import { conversationApis, type ConversationRef } from './conversations';
import { twilioStatus } from './resources';
import { callTwilio } from './twilio-calls';
import type { TwilioClient } from './twilio-client';
import { toTwilioFailure } from './twilio-failures';

/** A conversation-scoped webhook as the `twilio` client lists it (Conversations API v1, Webhook resource). */
interface ScopedWebhook {
  readonly sid: string;
  readonly target: string;
  readonly configuration: { readonly url?: string; readonly flow_sid?: string; readonly flowSid?: string } | null;
}

/** The Conversations calls of a hand-off from an execution a conversation started (DESIGN.md §8). */
export function createFlowWebhookActivities(twilio: TwilioClient, config: Config) {
  const apis = conversationApis(twilio, config.twilio.conversationsServiceSid);
  const flowPath = (flowSid: string) => flowWebhookPath(config.twilio.accountSid, flowSid);
  return {
    /**
     * Removes the conversation's scoped webhooks that point at the flow: `Target=webhook` whose URL is the flow's
     * webhook URL (matched by path, whatever host a proxy in front of the API shows), or `Target=studio` naming the
     * flow. Every other webhook stays. Returns the SIDs removed; a webhook already gone is not an error, so a retry
     * after a lost answer is harmless.
     */
    async removeFlowWebhooks(input: ConversationRef & { readonly flowSid: string }): Promise<string[]> {
      const webhooks = apis(input.serviceSid).conversation(input.conversationSid).webhooks;
      const listed = (await callTwilio(() => webhooks.list({ limit: 50 }))) as unknown as ScopedWebhook[];
      const ours = listed.filter((webhook) => pointsAtFlow(webhook, flowPath(input.flowSid), input.flowSid));
      for (const webhook of ours) {
        try {
          await callTwilio(() => webhooks(webhook.sid).remove());
        } catch (err) {
          if (twilioStatus(err) !== 404) throw toTwilioFailure(err, `Removing webhook ${webhook.sid} failed`);
        }
      }
      return ours.map((webhook) => webhook.sid);
    },
  };
}

function pointsAtFlow(webhook: ScopedWebhook, path: string, flowSid: string): boolean {
  const configuration = webhook.configuration ?? {};
  if (webhook.target === 'studio') return (configuration.flow_sid ?? configuration.flowSid) === flowSid;
  if (webhook.target !== 'webhook' || !configuration.url) return false;
  try {
    return new URL(configuration.url).pathname.replace(/\/+$/, '') === path;
  } catch {
    return false;
  }
}
