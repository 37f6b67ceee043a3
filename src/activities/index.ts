import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import { ContactLocks } from '../services/contact-locks';
import { FlowStore } from '../services/flow-store';
import { createContactLockActivities } from './executions/release-lock';
import { createFlowActivities } from './flows/resolve-revision';
import { createHttpActivities } from './http/http-request';
import { createConversationMessageActivities } from './twilio/conversation-messages';
import { createConversationReplyActivities } from './twilio/conversation-replies';
import { createConversationActivities } from './twilio/conversations';
import { createFlexActivities } from './twilio/flex';
import { createFlowWebhookActivities } from './twilio/hand-off-webhooks';
import { createMessagingActivities } from './twilio/programmable-messaging';
import type { TwilioClient } from './twilio/twilio-client';

/** What activities need from the outside world; the worker builds it once at boot. */
export interface ActivityDeps {
  readonly config: Config;
  readonly twilio: TwilioClient;
  readonly temporal: Client;
}

/** Every activity the worker registers, grouped by external system and built from injected clients. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createHttpActivities(deps.config.twilio),
    ...createMessagingActivities(deps.twilio),
    ...createConversationActivities(deps.twilio, deps.config),
    ...createConversationMessageActivities(deps.twilio, deps.config.twilio.conversationsServiceSid, deps.config.flowMessageAuthor),
    ...createConversationReplyActivities(deps.twilio, deps.config.twilio.conversationsServiceSid, deps.config.flowMessageAuthor),
    ...createFlexActivities(deps.twilio, deps.config.twilio.flexWorkspaceSid),
    ...createFlowWebhookActivities(deps.twilio, deps.config),
    ...createFlowActivities(new FlowStore(deps.temporal, deps.config.temporal.taskQueue)),
    ...createContactLockActivities(new ContactLocks(deps.temporal, deps.config.temporal.taskQueue)),
  };
}

export type Activities = ReturnType<typeof createActivities>;
