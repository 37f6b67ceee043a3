import type twilio from 'twilio';
import type { RouteName } from '../../emulator/faults';
import type { ConversationRecord } from '../../emulator/records';
import { publish, restFlow, waitUntilEnded } from '../helpers/flows';
import { contactNumbers } from '../helpers/contacts';
import { startStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/wait';
import { startWorkerProcess } from '../helpers/processes';

/** start → (created) hold: a short wait so the webhook can be counted while the execution is active → say. */
const flow = restFlow(
  {
    name: 'start',
    type: 'start-conversation',
    transitions: [{ event: 'created', next: 'hold' }, { event: 'failed' }],
    properties: { participants: [{ type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: '+15559990000' }] },
  },
  { name: 'hold', type: 'send-and-wait-for-reply', transitions: [{ event: 'timeout', next: 'say' }, { event: 'incomingMessage', next: 'say' }], properties: { body: 'ping', timeout: '2' } },
  { name: 'say', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'goodbye' } },
);

const CREATES: RouteName[] = ['conversations.create', 'participants.create', 'webhooks.create'];

/** Everything one execution created in the emulator, counted while it waits in `hold`, then after it ended. */
async function runAndCount(stack: TestStack, studio: twilio.Twilio['studio']['v2'], flowSid: string, to: string) {
  const { sid } = await studio.flows(flowSid).executions.create({ to, from: '+15559990000' });
  const mine = () => stack.conversationsOf(sid);
  const whileActive = await eventually(async () => {
    const [conversation] = mine();
    return conversation && conversation.webhooks.size > 0 && conversation.messages.length > 0 ? snapshot(mine()) : undefined;
  });
  await waitUntilEnded(studio, flowSid, sid);
  return { sid, whileActive, afterEnd: snapshot(mine()) };
}

function snapshot(conversations: ConversationRecord[]) {
  return {
    conversations: conversations.length,
    participants: conversations.reduce((n, c) => n + c.participants.size, 0),
    webhooks: conversations.reduce((n, c) => n + c.webhooks.size, 0),
    messages: conversations.flatMap((c) => c.messages.map((m) => m.body)),
  };
}

const exactlyOnce = { conversations: 1, participants: 1, webhooks: 1, messages: ['ping'] };
const afterEnd = { conversations: 1, participants: 1, webhooks: 0, messages: ['ping', 'goodbye'] };

describe('start-conversation and conversation messages, exactly once', () => {
  const nextContact = contactNumbers('+1555300');

  describe('when Twilio commits a create and then fails', () => {
    let stack: TestStack;
    let studio: twilio.Twilio['studio']['v2'];
    let flowSid: string;

    beforeAll(async () => {
      stack = await startStack('exactly-once');
      studio = stack.client.studio.v2;
      flowSid = await publish(studio, flow);
    });
    afterAll(() => stack?.stop());

    test.each(CREATES.flatMap((route) => (['status500', 'drop'] as const).map((after) => [route, after] as const)))(
      'when %s commits then fails (%s), then the retry finds what it made: one of each',
      async (route, after) => {
        stack.twilio.faults.add({ route, kind: 'commit-then-fail', after });
        const counts = await runAndCount(stack, studio, flowSid, nextContact());
        expect(counts.whileActive).toEqual(exactlyOnce);
        expect(counts.afterEnd).toEqual(afterEnd);
      },
    );

    test.each(['status500', 'drop'] as const)('when a message into the conversation commits then fails (%s), then it is delivered once', async (after) => {
      stack.twilio.faults.add({ route: 'messages.create', kind: 'commit-then-fail', after });
      const counts = await runAndCount(stack, studio, flowSid, nextContact());
      expect(counts.afterEnd).toEqual(afterEnd);
    });
  });

  describe('when the worker process is killed right after Twilio answered', () => {
    let stack: TestStack;
    let studio: twilio.Twilio['studio']['v2'];
    let flowSid: string;

    beforeAll(async () => {
      stack = await startStack('sigkill', { worker: false });
      studio = stack.client.studio.v2;
      const setup = startWorkerProcess(stack.config); // flows are stored by workflows, so publishing needs a worker
      try {
        await setup.ready;
        flowSid = await publish(studio, flow);
      } finally {
        await setup.stop();
      }
    });
    afterAll(() => stack?.stop());

    const activityOf: Record<string, string> = {
      'conversations.create': 'createConversation',
      'participants.create': 'addConversationParticipant',
      'webhooks.create': 'addConversationWebhook',
    };

    test.each(CREATES)('when %s answered and the worker died before completing, then a new worker finishes with one of each', async (route) => {
      // The kill races the dying worker's own completion; a run where the worker won is repeated.
      for (let attempt = 1; attempt <= 3; attempt++) {
        const first = startWorkerProcess(stack.config);
        await first.ready;
        const replied = stack.twilio.faults.nextReply(route).then(() => first.kill());
        const to = nextContact();
        const { sid } = await studio.flows(flowSid).executions.create({ to, from: '+15559990000' });
        await replied;
        const second = startWorkerProcess(stack.config);
        try {
          await second.ready;
          await waitUntilEnded(studio, flowSid, sid, 150_000);
        } finally {
          await second.stop();
        }
        expect(snapshot(stack.conversationsOf(sid))).toEqual(afterEnd);
        if ((await completingAttempt(stack, sid, activityOf[route]!)) > 1) return;
      }
      throw new Error(`in 3 runs the worker always completed ${activityOf[route]} before it was killed`);
    }, 480_000); // a retry after a lost webhook create waits out that create (up to 70 s) before it looks for it
  });
});

/** The attempt that completed the execution's activity of this type (history records only the last one). */
async function completingAttempt(stack: TestStack, executionSid: string, activityType: string): Promise<number> {
  const history = await stack.temporal.workflow.getHandle(executionSid).fetchHistory();
  const scheduled = (history.events ?? []).find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activityType);
  const started = (history.events ?? []).find((e) => String(e.activityTaskStartedEventAttributes?.scheduledEventId) === String(scheduled?.eventId));
  return started?.activityTaskStartedEventAttributes?.attempt ?? 0;
}
