import { type Config, conversationWebhookUrl } from '../../config';
import type { JsonObject } from '../../flow/context';
import type { StartConversationEffect } from '../../flow/effects';
import type { TwilioClient } from './twilio-client';
import { configuredAttributes, createdSince, isRetry, sameAttributes, twilioCode, twilioStatus, wireResource } from './resources';
import { toTwilioFailure } from './twilio-failures';
import { createInTwilio, callTwilio, earliestCreate, findLostCreate } from './twilio-calls';

/** Start of the unique name of each conversation an execution creates for a widget that names none (`studio-FN…-FT…`). */
export function executionConversationPrefix(executionSid: string): string {
  return `studio-${executionSid}-`;
}

export interface ConversationRef {
  /** Omitted: the account's default Conversations service. */
  readonly serviceSid?: string;
  readonly conversationSid: string;
}

/** The conversation start-conversation asked for, with what makes it unique per (execution, widget run). */
export type CreateConversationInput = StartConversationEffect['conversation'] &
  Pick<StartConversationEffect, 'serviceSid' | 'executionSid' | 'runId'>;

export type AddParticipantInput = ConversationRef & StartConversationEffect['participant'];

/** The Conversations calls start-conversation makes, each safe to retry (see each). */
export function createConversationActivities(twilio: TwilioClient, config: Config) {
  const apis = conversationApis(twilio, config.twilio.conversationsServiceSid);
  return {
    /**
     * Creates the conversation under a unique name (the widget's, or one made from the execution and widget run),
     * so a retry after a create whose answer was lost finds the conversation instead of making a second one. Nothing
     * is added to what the flow configured: a generated name is ours by the name alone; under the widget's own name,
     * the conversation is ours when it was created since this activity first sent its create and holds exactly the
     * configured friendly name, attributes and Messaging Service (README, "Exactly once without markers").
     */
    async createConversation(input: CreateConversationInput): Promise<JsonObject> {
      const api = apis(input.serviceSid);
      const uniqueName = input.uniqueName || `${executionConversationPrefix(input.executionSid)}${input.runId}`;
      const attributes = configuredAttributes(input.attributes);
      const ours = async () => {
        const existing = await callTwilio(() => fetchQuietly(() => api.conversation(uniqueName).fetch()));
        if (!existing) return undefined;
        return !input.uniqueName || isConfiguredConversation(existing, input, attributes, earliestCreate()) ? wireResource(existing) : undefined;
      };
      try {
        // No need to wait out a lost attempt's create: of two creates under one unique name, Twilio refuses whichever
        // comes second (50353), so a late one can never make a second conversation.
        if (isRetry()) {
          const found = await ours();
          if (found) return found;
        }
        const created = await createInTwilio(() =>
          api.conversations.create({
            uniqueName,
            friendlyName: input.friendlyName || undefined,
            attributes,
            messagingServiceSid: input.messagingServiceSid || undefined,
            'timers.inactive': input.timers?.inactive || undefined,
            'timers.closed': input.timers?.closed || undefined,
            'bindings.email.address': input.emailBinding?.address || undefined,
            'bindings.email.name': input.emailBinding?.name || undefined,
          }),
        );
        return wireResource(created);
      } catch (err) {
        // 50353: the unique name is taken. On a first attempt that is a real refusal (nothing of ours exists yet); on
        // a retry, the conversation may be the one a lost earlier attempt created.
        const found = twilioCode(err) === 50353 && isRetry() ? await ours() : undefined;
        if (found) return found;
        throw toTwilioFailure(err, 'Creating the conversation failed');
      }
    },

    /** Adds the one participant; a retry recognises it as the conversation's (new, so only ever ours) participant. */
    async addConversationParticipant(input: AddParticipantInput): Promise<JsonObject> {
      const participants = apis(input.serviceSid).conversation(input.conversationSid).participants;
      const existing = async () => {
        const all = await callTwilio(() => participants.list({ pageSize: 50, limit: 50 }));
        const match = all.find((p) => (input.identity ? p.identity === input.identity : sameBinding(p.messagingBinding, input)));
        return match ? wireResource(match) : undefined;
      };
      try {
        // As for conversations, no wait: Twilio refuses the second participant with the same binding or identity (50437).
        if (isRetry()) {
          const found = await existing();
          if (found) return found;
        }
        const created = await createInTwilio(() =>
          participants.create({
            identity: input.identity || undefined,
            'messagingBinding.address': input.address || undefined,
            'messagingBinding.proxyAddress': input.proxyAddress || undefined,
            attributes: input.attributes || undefined,
            roleSid: input.roleSid || undefined,
          }),
        );
        return wireResource(created);
      } catch (err) {
        const found = twilioCode(err) === 50437 ? await existing() : undefined; // already in this conversation
        if (found) return found;
        throw toTwilioFailure(err, 'Adding the participant failed');
      }
    },

    /**
     * Registers the onMessageAdded webhook (to this API, its URL naming the execution and the conversation); a retry
     * finds the one a lost attempt made (same URL) and keeps it.
     */
    async addConversationWebhook(input: ConversationRef & { readonly executionSid: string }): Promise<JsonObject> {
      const url = conversationWebhookUrl(config, input.executionSid, input.conversationSid);
      // An attempt of a worker from before the URL named the conversation registered the shorter form: also ours.
      const ourUrls = new Set([url, conversationWebhookUrl(config, input.executionSid)]);
      const webhooks = apis(input.serviceSid).conversation(input.conversationSid).webhooks;
      try {
        if (isRetry()) {
          const found = await findLostCreate(async () => {
            const all = await callTwilio(() => webhooks.list({ pageSize: 50, limit: 50 }));
            return all.find((w) => ourUrls.has(String((w.configuration as { url?: string } | undefined)?.url)));
          });
          if (found) return wireResource(found);
        }
        const created = await createInTwilio(() =>
          webhooks.create({
            target: 'webhook',
            'configuration.url': url,
            'configuration.method': 'post' as never,
            'configuration.filters': ['onMessageAdded'],
          }),
        );
        return wireResource(created);
      } catch (err) {
        throw toTwilioFailure(err, 'Registering the onMessageAdded webhook failed');
      }
    },

    /** Removes the webhook when the execution ends or hands off; one that is already gone counts as removed. */
    async removeConversationWebhook(input: ConversationRef & { readonly webhookSid: string }): Promise<void> {
      await removeQuietly(() => callTwilio(() => apis(input.serviceSid).conversation(input.conversationSid).webhooks(input.webhookSid).remove()), 'Removing the webhook failed');
    },

    /** Deletes a conversation start-conversation could not finish, so nothing is left behind. */
    async deleteConversation(input: ConversationRef): Promise<void> {
      await removeQuietly(() => callTwilio(() => apis(input.serviceSid).conversation(input.conversationSid).remove()), 'Deleting the conversation failed');
    },
  };
}

type ServiceConversations = ReturnType<TwilioClient['conversations']['v1']['services']>['conversations'];

/** Default-service paths or service-scoped ones (`/v1/Services/IS…/Conversations`), the same calls either way. */
export function conversationApis(twilio: TwilioClient, defaultServiceSid: string | undefined) {
  return (serviceSid: string | undefined) => {
    const sid = serviceSid || defaultServiceSid;
    // The two path families have identical operations; the client only types them as unrelated classes.
    const conversations: ServiceConversations = sid
      ? twilio.conversations.v1.services(sid).conversations
      : (twilio.conversations.v1.conversations as unknown as ServiceConversations);
    return {
      conversations,
      conversation: (conversationSid: string) => conversations(conversationSid),
    };
  };
}

/**
 * True when a conversation found under the widget's own unique name is the one this activity created: made since
 * `since` (the activity's first send) with exactly the properties the widget configured. Another conversation under
 * that name is older, or differs in what it holds; one made by someone else in the same seconds with the same
 * properties would be taken for ours (README, "Exactly once without markers").
 */
function isConfiguredConversation(
  found: { dateCreated?: unknown; friendlyName?: string | null; attributes?: unknown; messagingServiceSid?: string | null },
  input: CreateConversationInput,
  attributes: string | undefined,
  since: Date,
): boolean {
  return (
    createdSince(found.dateCreated, since) &&
    (!input.friendlyName || found.friendlyName === input.friendlyName) &&
    (!input.messagingServiceSid || found.messagingServiceSid === input.messagingServiceSid) &&
    sameAttributes(found.attributes, attributes)
  );
}

function sameBinding(binding: unknown, input: AddParticipantInput): boolean {
  const b = (binding ?? {}) as { address?: string; proxy_address?: string };
  return b.address === input.address && b.proxy_address === input.proxyAddress;
}

async function fetchQuietly<T>(fetch: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fetch();
  } catch (err) {
    if (twilioStatus(err) === 404) return undefined;
    throw err;
  }
}

async function removeQuietly(remove: () => Promise<boolean>, action: string): Promise<void> {
  try {
    await remove();
  } catch (err) {
    if (twilioStatus(err) !== 404) throw toTwilioFailure(err, action);
  }
}
