import type twilio from 'twilio';
import type { RouteName } from '../../emulator/faults';
import type { ConversationRecord } from '../../emulator/records';
import { publish, restFlow, waitUntilEnded } from '../helpers/flows';
import { contactNumbers } from '../helpers/contacts';
import { startStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/wait';

type Studio = twilio.Twilio['studio']['v2'];

const PROXY = '+15559990000';
const WORKFLOW = `WW${'2'.repeat(32)}`;

/** The contact's number goes into the conversation's friendly name and the prompt, so a fault can match the one execution. */
const startConversation = {
  name: 'start',
  type: 'start-conversation',
  transitions: [{ event: 'created', next: 'hold' }, { event: 'failed' }],
  properties: {
    friendly_name: '{{contact.channel.address}}',
    participants: [{ type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: PROXY }],
  },
};

/** start → hold (a prompt, then a short wait so the webhook can be counted while active) → say → end. */
const conversationFlow = restFlow(
  startConversation,
  { name: 'hold', type: 'send-and-wait-for-reply', transitions: [{ event: 'timeout', next: 'say' }, { event: 'incomingMessage', next: 'say' }], properties: { body: 'ping {{contact.channel.address}}', timeout: '2' } },
  { name: 'say', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'goodbye' } },
);

/** One SMS over Programmable Messaging (no conversation), then the end. */
const smsFlow = restFlow({ name: 'say', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'hello by SMS' } });

/** start → hand to Flex (the contact in the task's attributes) → end. */
const flexFlow = restFlow(
  { ...startConversation, transitions: [{ event: 'created', next: 'to_agent' }, { event: 'failed' }] },
  {
    name: 'to_agent',
    type: 'send-to-flex',
    transitions: [{ event: 'callComplete' }, { event: 'failedToEnqueue' }, { event: 'callFailure' }],
    properties: { workflow: WORKFLOW, channel: 'sms', attributes: '{"customer": "{{contact.channel.address}}"}' },
  },
);

type Route = 'conversation' | 'sms' | 'flex';
const ROUTE_OF: Partial<Record<RouteName, Route>> = {
  'conversations.create': 'conversation',
  'participants.create': 'conversation',
  'webhooks.create': 'conversation',
  'messages.create': 'conversation',
  'messaging.messages.create': 'sms',
  'interactions.create': 'flex',
};

/** What one execution left in the emulator, counted after it ended. */
function counts(stack: TestStack, executionSid: string, contact: string) {
  const conversations = stack.conversationsOf(executionSid);
  const conversationSids = new Set(conversations.map((c) => c.sid));
  return {
    conversations: conversations.length,
    participants: conversations.reduce((n, c) => n + c.participants.size, 0),
    webhooks: conversations.reduce((n, c) => n + c.webhooks.size, 0),
    messages: conversations.flatMap((c: ConversationRecord) => c.messages.map((m) => m.body)),
    sms: [...stack.twilio.store.messagingMessages.values()].filter((m) => m.to === contact).map((m) => m.body),
    interactions: [...stack.twilio.store.interactions.values()].filter((i) => conversationSids.has(String((i.channel.properties as { media_channel_sid?: unknown } | undefined)?.media_channel_sid))).length,
  };
}

const EXPECTED: Record<Route, (contact: string) => ReturnType<typeof counts>> = {
  conversation: (contact) => ({ conversations: 1, participants: 1, webhooks: 0, messages: [`ping ${contact}`, 'goodbye'], sms: [], interactions: 0 }),
  sms: () => ({ conversations: 0, participants: 0, webhooks: 0, messages: [], sms: ['hello by SMS'], interactions: 0 }),
  flex: () => ({ conversations: 1, participants: 1, webhooks: 0, messages: [], sms: [], interactions: 1 }),
};

const LAST_EVENT: Record<Route, string> = { conversation: 'sent', sms: 'sent', flex: 'callComplete' };

interface Outcome {
  readonly route: RouteName;
  readonly delaySeconds: number;
  readonly seconds: number;
  readonly webhooksWhileActive?: number;
  readonly lastEvent?: string;
  readonly counts: ReturnType<typeof counts>;
  readonly contact: string;
}

const DELAYS_SECONDS = [4, 7, 15, 60];

describe('every create the worker makes, exactly once when Twilio is slow', () => {
  let stack: TestStack;
  let studio: Studio;
  const flowSids = {} as Record<Route, string>;
  const nextContact = contactNumbers('+1556100');
  const figures: Outcome[] = [];

  beforeAll(async () => {
    stack = await startStack('twilio-slow');
    studio = stack.client.studio.v2;
    flowSids.conversation = await publish(studio, conversationFlow);
    flowSids.sms = await publish(studio, smsFlow);
    flowSids.flex = await publish(studio, flexFlow);
  });
  afterAll(async () => {
    if (figures.length > 0) {
      const rows = figures.map((f) => `${f.route.padEnd(26)} ${String(f.delaySeconds).padStart(3)} s delay → ended after ${f.seconds.toFixed(1)} s`);
      process.stdout.write(`Twilio slow, time to each execution's end:\n${rows.join('\n')}\n`);
    }
    await stack?.stop();
  });

  /** Starts one execution with `route` delayed by `delaySeconds` for it alone (or for whoever calls first, unmatched), and runs it to its end. */
  async function slowRun(route: RouteName, delaySeconds: number, matchContact: boolean): Promise<Outcome> {
    const kind = ROUTE_OF[route]!;
    const contact = nextContact();
    stack.twilio.faults.add({ route, kind: 'delay', ms: delaySeconds * 1000, ...(matchContact ? { match: contact } : {}) });
    const started = Date.now();
    const { sid } = await studio.flows(flowSids[kind]).executions.create({ to: contact, from: PROXY });
    // While the conversation flow waits in `hold`, its webhook is counted: a second one would deliver every reply twice.
    const whileActive =
      kind === 'conversation'
        ? await eventually(async () => {
            const [conversation] = stack.conversationsOf(sid);
            return conversation && conversation.messages.length > 0 ? conversation.webhooks.size : undefined;
          }, 120_000)
        : undefined;
    await waitUntilEnded(studio, flowSids[kind], sid, 180_000);
    const seconds = (Date.now() - started) / 1000;
    const steps = await studio.flows(flowSids[kind]).executions(sid).steps.list();
    return { route, delaySeconds, seconds, webhooksWhileActive: whileActive, lastEvent: steps.at(-1)?.name, counts: counts(stack, sid, contact), contact };
  }

  function expectExactlyOnce(outcome: Outcome): void {
    const kind = ROUTE_OF[outcome.route]!;
    expect({ route: outcome.route, contact: outcome.contact, counts: outcome.counts, lastEvent: outcome.lastEvent }).toEqual({
      route: outcome.route,
      contact: outcome.contact,
      counts: EXPECTED[kind](outcome.contact),
      lastEvent: LAST_EVENT[kind],
    });
    if (kind === 'conversation') expect(outcome.webhooksWhileActive).toBe(1);
  }

  // Every request these routes see carries the execution's contact, so all of them run side by side, each delayed alone.
  const MATCHED: RouteName[] = ['conversations.create', 'participants.create', 'messages.create', 'messaging.messages.create', 'interactions.create'];

  test(
    'when conversations, participants, messages, SMS and Flex creates each take 4, 7, 15 or 60 s, then each execution made each thing once',
    async () => {
      const outcomes = await Promise.all(MATCHED.flatMap((route) => DELAYS_SECONDS.map((delay) => slowRun(route, delay, true))));
      figures.push(...outcomes);
      for (const outcome of outcomes) expectExactlyOnce(outcome);
    },
    300_000,
  );

  // A webhook create carries only the execution SID, known after the start: these four run side by side on their own,
  // each delay taken by whichever execution registers its webhook first.
  test(
    'when registering the webhook takes 4, 7, 15 or 60 s, then each execution registered one webhook, and none is left after the end',
    async () => {
      const outcomes = await Promise.all(DELAYS_SECONDS.map((delay) => slowRun('webhooks.create', delay, false)));
      // For the figures only: the longer the delay an execution took, the later it ended.
      const byTime = [...outcomes].sort((a, b) => a.seconds - b.seconds);
      figures.push(...byTime.map((outcome, i) => ({ ...outcome, delaySeconds: DELAYS_SECONDS[i]! })));
      for (const outcome of outcomes) expectExactlyOnce(outcome);
    },
    300_000,
  );
});
