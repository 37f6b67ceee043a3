import { MockActivityEnvironment } from '@temporalio/testing';
import type { InboundMessage } from '../../../src/flow/effects';
import { createConversationReplyActivities } from '../../../src/activities/twilio/conversation-replies';
import { createTwilioClient, type TwilioClient } from '../../../src/activities/twilio/twilio-client';
import { startEmulator, type TestEmulator } from '../../emulator/helpers';

const FLOW_AUTHOR = 'studio';
const CONTACT = '+15551230000';

/** The catch-up read against the emulator's Conversations API, through the official client (paging included). */
describe('listConversationRepliesAfter', () => {
  let twilio: TestEmulator;
  let client: TwilioClient;

  beforeAll(async () => {
    twilio = await startEmulator({ retryDelayMs: 10 });
    client = createTwilioClient({ accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.running.url });
  });
  afterAll(() => twilio.running.close());

  /** A conversation holding `authors` in order (message i has body `m<i>`); returns its SID. */
  async function conversationWith(authors: string[]): Promise<string> {
    const { sid } = await client.conversations.v1.conversations.create({ friendlyName: 'replies' });
    for (const [i, author] of authors.entries()) await client.conversations.v1.conversations(sid).messages.create({ author, body: `m${i}` });
    return sid;
  }

  const read = (conversationSid: string, afterIndex: number): Promise<InboundMessage[]> => {
    const { listConversationRepliesAfter } = createConversationReplyActivities(client, undefined, FLOW_AUTHOR);
    return new MockActivityEnvironment().run(listConversationRepliesAfter, { conversationSid, afterIndex });
  };

  test('when the contact wrote after the prompt, then its messages after the prompt come back oldest first, as the webhook shapes them', async () => {
    const sid = await conversationWith([CONTACT, FLOW_AUTHOR, CONTACT, 'agent', FLOW_AUTHOR, CONTACT]);

    const replies = await read(sid, 1); // the prompt is m1

    expect(replies.map((r) => r.Body)).toEqual(['m2', 'm3', 'm5']); // any author but the flow's
    expect(replies[0]).toMatchObject({ ConversationSid: sid, Author: CONTACT, Index: '2', MessageSid: expect.stringMatching(/^IM/), Attributes: '{}' });
  });

  test('when nothing came after the prompt, then nothing comes back', async () => {
    const sid = await conversationWith([FLOW_AUTHOR]);

    expect(await read(sid, 0)).toEqual([]);
  });

  test('when the replies span more than one page, then all of them come back', async () => {
    const sid = await conversationWith([FLOW_AUTHOR, ...Array<string>(150).fill(CONTACT)]);

    const replies = await read(sid, 0);

    expect(replies).toHaveLength(150);
    expect(replies.at(0)?.Index).toBe('1');
    expect(replies.at(-1)?.Index).toBe('150');
  });
});
