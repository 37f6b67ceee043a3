import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every statement of the Start Conversation widget's official description (../shared/seed-start-conversation-widget.txt,
 * paraphrased here in order) and the tests that prove it. This file checks that each named test exists, word for
 * word, in the named file, so the map cannot quietly go stale when tests are renamed or removed.
 */
const TEST_DIR = join(__dirname, '..');
const I = 'integration';

const SURVEY = [`${I}/conversation-survey.test.ts`, 'when the contact answers 5, then the flow thanks them for a positive rating, ends and removes its webhook'];
const EVERY_PROPERTY = [`${I}/start-conversation.test.ts`, 'when every property of the seed’s tables is set, then each reaches Twilio rendered, and flow.channel is as DESIGN.md §6 lays out'];
const SECOND_CONVERSATION = [`${I}/start-conversation.test.ts`, 'when the execution already has a channel (a second start-conversation), then Failed, and no second conversation'];
const DOWNSTREAM = [`${I}/start-conversation.test.ts`, 'when a downstream widget sends a message, then it goes into flow.channel.sid as the configured author'];
const RUNTIME_RULES = [`${I}/start-conversation.test.ts`, 'when a rendered property breaks a rule, then Failed before any Twilio call'];
const VALIDATION = 'unit/flow/validate-flow.test.ts';
/** The seed's two failure reasons reached through real triggers (DESIGN.md §8): an SMS, and a message in a wired conversation. */
const SMS_TRIGGERED = [`${I}/inbound-messaging.test.ts`, 'when a flow started by an SMS reaches start-conversation, then it takes Failed at the trigger stage and creates nothing'];
const CONVERSATION_TRIGGERED = [`${I}/inbound-conversations.test.ts`, 'when a wired conversation starts the flow, then start-conversation fails at the channel stage, the flow talks in the conversation, and the hand-off to Flex unhooks it'];

const SEED_MAP: ReadonlyArray<readonly [statement: string, proofs: ReadonlyArray<readonly string[]>]> = [
  ['It creates a Conversation during an execution triggered through the REST API and makes it the flow’s channel.', [SURVEY, EVERY_PROPERTY]],
  ['Outbound flows can hold a two-way Conversation without custom code.', [SURVEY]],
  ['The Conversation has a single participant, and inbound messages continue the flow.', [SURVEY, [`${I}/conversation-webhooks.test.ts`, 'when Twilio redelivers a message, then the flow takes it once']]],
  ['Only one Conversation can be created per execution.', [SECOND_CONVERSATION]],
  ['The widget runs when reached in a flow triggered through the REST API.', [SURVEY]],
  ['Step 1: with an existing channel it creates nothing and takes Failed.', [SECOND_CONVERSATION, CONVERSATION_TRIGGERED, [`${I}/subflows.test.ts`, 'when the parent already has a conversation, then the child’s start-conversation fails and none is added']]],
  ['Step 2: it creates a Conversation with a single participant.', [EVERY_PROPERTY]],
  ['Step 3: it registers an onMessageAdded webhook so inbound messages resume the execution.', [SURVEY, [`${I}/conversation-webhooks.test.ts`, 'when the contact replies before the prompt’s send has even returned, then the reply is not lost']]],
  ['Step 4: it stores the Conversation’s data in the execution context.', [EVERY_PROPERTY]],
  ['Downstream messaging widgets send to the active Conversation automatically.', [DOWNSTREAM, SURVEY]],
  ['Messaging widgets resolve the Conversation from flow.channel.sid.', [DOWNSTREAM]],
  ['The Conversation stays active while the execution is; when it ends, the onMessageAdded webhook is removed.', [SURVEY, [`${I}/subflows.test.ts`, 'when the root is ended while the child waits, then the child is cancelled and the cleanup runs once, in the root']]],
  ['After a hand-off (Send to Flex) the flow sends no more messages and the webhook is disconnected.', [[`${I}/send-to-flex.test.ts`, 'when the interaction is created, then callComplete, the webhook is gone, and later messaging widgets fail without sending']]],
  ['The Conversation properties map to the Conversations API Conversation resource.', [EVERY_PROPERTY]],
  ['Conversation Service SID: the account’s default service when none is given.', [[`${I}/start-conversation.test.ts`, 'when none is configured either, then the account’s default service is used'], [`${I}/start-conversation.test.ts`, 'when TWILIO_CONVERSATIONS_SERVICE_SID is configured, then that service is used']]],
  ['Messaging Service SID, Unique Name, Attributes, and the email binding’s address and name are set on the Conversation.', [EVERY_PROPERTY]],
  ['Friendly Name is limited to 256 characters.', [[VALIDATION, 'when the friendly name is longer than 256 characters, then it is reported']]],
  ['Attributes are a JSON object.', [[VALIDATION, 'when attributes are %s, then they must be a JSON object']]],
  ['Timers.Inactive is an ISO-8601 duration of at least one minute.', [[VALIDATION, 'when timers.inactive is %s, then it must be at least a minute']]],
  ['Timers.Closed is an ISO-8601 duration of at least ten minutes.', [[VALIDATION, 'when timers.closed is under ten minutes, then it is reported'], RUNTIME_RULES]],
  ['Unique Name and Friendly Name do not allow reserved characters.', [[VALIDATION, 'when the friendly name is %j, then reserved characters are refused'], [VALIDATION, 'when the unique name has a reserved character, then it is refused'], RUNTIME_RULES]],
  ['The Conversation has a single participant; Group MMS is not supported.', [[VALIDATION, 'when there are two participants, then Group MMS is refused']]],
  ['A chat participant has an Identity, and optional Attributes and Role SID.', [EVERY_PROPERTY, [VALIDATION, 'when a chat participant has no identity, then identity is required']]],
  ['A messaging participant (SMS or WhatsApp) has a binding address and proxy address, and optional Attributes and Role SID.', [SURVEY, [`${I}/start-conversation.test.ts`, 'when the participant is on WhatsApp, then its binding is created with both addresses'], [VALIDATION, 'when an SMS participant has no proxy address, then it is required']]],
  ['Transitions: Created when the Conversation was created, Failed otherwise.', [EVERY_PROPERTY, SECOND_CONVERSATION]],
  ['Failed when the flow was not triggered through the REST API.', [['unit/flow/start-conversation-widget.test.ts', 'when the root execution was not triggered through the REST API, then failed at the trigger stage'], SMS_TRIGGERED]],
  ['Failed when a Conversation already exists for the execution (such as an inbound Conversation channel).', [SECOND_CONVERSATION, CONVERSATION_TRIGGERED]],
  ['Failed when the Conversation cannot be created.', [[`${I}/start-conversation.test.ts`, 'when Studio cannot create the conversation, then Failed at the conversation stage with Twilio’s code']]],
  ['Failed when the participant cannot be created.', [[`${I}/start-conversation.test.ts`, 'when Studio cannot create the participant, then Failed at the participant stage and the conversation is deleted']]],
  ['Failed when the onMessageAdded webhook cannot be registered.', [[`${I}/start-conversation.test.ts`, 'when Studio cannot register the onMessageAdded webhook, then Failed at the webhook stage and the conversation is deleted']]],
  ['On success the Conversation’s data is under flow.channel.', [EVERY_PROPERTY]],
  ['The channel context is available to downstream widgets, Send Message and Send & Wait for Reply included.', [DOWNSTREAM, SURVEY]],
  ['A Conversation created in a subflow is propagated back to the parent flow.', [[`${I}/subflows.test.ts`, 'when the child starts the conversation and gets the reply, then the parent gets its variable and the same conversation']]],
];

describe('the seed document, statement by statement', () => {
  test.each(SEED_MAP.map(([statement, proofs]) => [statement, proofs] as const))('“%s” is proved by tests that exist', (_statement, proofs) => {
    expect(proofs.length).toBeGreaterThan(0);
    for (const [file, name] of proofs) {
      const source = readFileSync(join(TEST_DIR, file!), 'utf8');
      expect({ file, name, found: source.includes(`'${name}'`) }).toEqual({ file, name, found: true });
    }
  });
});
