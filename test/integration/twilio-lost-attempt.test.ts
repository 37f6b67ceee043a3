import type twilio from 'twilio';
import type { FlowDefinition } from '../../src/flow/definition';
import { publish, restFlow, runToEnd, waitUntilEnded } from '../helpers/flows';
import { contactNumbers } from '../helpers/contacts';
import { startWorkerProcess } from '../helpers/processes';
import { startStack, type TestStack } from '../helpers/stack';

type Studio = twilio.Twilio['studio']['v2'];

const PROXY = '+15559990000';
const WORKFLOW = `WW${'3'.repeat(32)}`;

const startConversation = (next: string) => ({
  name: 'start',
  type: 'start-conversation',
  transitions: [{ event: 'created', next }, { event: 'failed' }],
  properties: { participants: [{ type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: PROXY }] },
});

/** start → one message (with the contact's number, so a fault can match it) → end. */
const conversationFlow = restFlow(startConversation('say'), {
  name: 'say',
  type: 'send-message',
  transitions: [{ event: 'sent' }, { event: 'failed' }],
  properties: { body: 'hello {{contact.channel.address}}' },
});

/** One SMS over Programmable Messaging. */
const smsFlow = restFlow({ name: 'say', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'hello {{contact.channel.address}}' } });

/** start → hand to Flex (the contact in the task's attributes) → end. */
const flexFlow = restFlow(startConversation('to_agent'), {
  name: 'to_agent',
  type: 'send-to-flex',
  transitions: [{ event: 'callComplete' }, { event: 'failedToEnqueue' }, { event: 'callFailure' }],
  properties: { workflow: WORKFLOW, channel: 'sms', attributes: '{"customer": "{{contact.channel.address}}"}' },
});

const smsTo = (stack: TestStack, contact: string) => [...stack.twilio.store.messagingMessages.values()].filter((m) => m.to === contact).map((m) => m.body);
const interactionsFor = (stack: TestStack, contact: string) =>
  [...stack.twilio.store.interactions.values()].filter((i) => JSON.stringify(i.routing).includes(contact)).length;

describe('SMS and Flex creates whose answer is lost', () => {
  let stack: TestStack;
  let studio: Studio;
  const nextContact = contactNumbers('+1556200');

  beforeAll(async () => {
    stack = await startStack('lost-answer');
    studio = stack.client.studio.v2;
  });
  afterAll(() => stack?.stop());

  test.each(['status500', 'drop'] as const)('when an SMS is sent and the answer is lost (%s), then the retry finds it: sent once', async (after) => {
    const contact = nextContact();
    stack.twilio.faults.add({ route: 'messaging.messages.create', kind: 'commit-then-fail', after, match: contact });
    const run = await runToEnd(studio, await publish(studio, smsFlow), contact);
    expect(run.events.at(-1)).toBe('sent');
    expect(smsTo(stack, contact)).toEqual([`hello ${contact}`]);
    expect(run.context.widgets.say).toMatchObject({ outbound: { To: contact, Body: `hello ${contact}` } });
  });

  test('when an SMS with a Content template is sent and the answer is lost, then the retry finds it: sent once', async () => {
    const contact = nextContact();
    stack.twilio.faults.add({ route: 'messaging.messages.create', kind: 'commit-then-fail', after: 'status500', match: contact });
    const template = restFlow({ name: 'say', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { content_sid: `HX${'b'.repeat(32)}`, content_variables: [{ key: '1', value: 'Ada' }] } });
    const run = await runToEnd(studio, await publish(studio, template), contact);
    expect(run.events.at(-1)).toBe('sent');
    // Twilio renders the template into the body, so the retry cannot look for the body the flow wrote (it wrote none).
    expect([...stack.twilio.store.messagingMessages.values()].filter((m) => m.to === contact).map((m) => m.contentVariables)).toEqual(['{"1":"Ada"}']);
  });

  test.each(['status500', 'drop'] as const)(
    'when a Flex interaction is created and the answer is lost (%s), then it is not retried: failedToEnqueue, one interaction, never two tasks',
    async (after) => {
      const contact = nextContact();
      stack.twilio.faults.add({ route: 'interactions.create', kind: 'commit-then-fail', after, match: contact });
      const run = await runToEnd(studio, await publish(studio, flexFlow), contact);
      expect(run.events.at(-1)).toBe('failedToEnqueue');
      expect(interactionsFor(stack, contact)).toBe(1);
      expect(run.context.widgets.to_agent?.error).toMatchObject({ message: expect.stringContaining('is not retried, so it is never made twice') });
    },
  );

  test('when Flex throttles the create (429), then the retry creates it: callComplete, one interaction', async () => {
    const contact = nextContact();
    stack.twilio.faults.add({ route: 'interactions.create', kind: 'status', status: 429, match: contact });
    const run = await runToEnd(studio, await publish(studio, flexFlow), contact);
    expect(run.events.at(-1)).toBe('callComplete');
    expect(interactionsFor(stack, contact)).toBe(1);
  });
});

describe('when the worker dies while a slow create is in flight', () => {
  let stack: TestStack;
  let studio: Studio;
  const flowSids = new Map<FlowDefinition, string>();
  const nextContact = contactNumbers('+1556300');

  beforeAll(async () => {
    stack = await startStack('lost-worker', { worker: false });
    studio = stack.client.studio.v2;
    const setup = startWorkerProcess(stack.config); // flows are stored by workflows, so publishing needs a worker
    try {
      await setup.ready;
      for (const flow of [conversationFlow, smsFlow, flexFlow]) flowSids.set(flow, await publish(studio, flow));
    } finally {
      await setup.stop();
    }
  });
  afterAll(() => stack?.stop());

  test('then the retries wait the lost creates out and find them: one webhook, one message, one SMS, and Flex fails visibly rather than twice', async () => {
    const first = startWorkerProcess(stack.config);
    await first.ready;
    const start = async (flow: FlowDefinition, contact: string) => (await studio.flows(flowSids.get(flow)!).executions.create({ to: contact, from: PROXY })).sid;
    const DELAY = { kind: 'delay', ms: 30_000 } as const;

    // The webhook create carries no contact: it is delayed for the first execution that registers one, then the others start.
    const webhookContact = nextContact();
    const delayed = [stack.twilio.faults.add({ route: 'webhooks.create', ...DELAY }).id];
    const webhookInFlight = stack.twilio.faults.nextRequest('webhooks.create');
    const webhookRun = await start(conversationFlow, webhookContact);
    await webhookInFlight;

    const [messageContact, smsContact, flexContact] = [nextContact(), nextContact(), nextContact()];
    delayed.push(
      stack.twilio.faults.add({ route: 'messages.create', ...DELAY, match: messageContact }).id,
      stack.twilio.faults.add({ route: 'messaging.messages.create', ...DELAY, match: smsContact }).id,
      stack.twilio.faults.add({ route: 'interactions.create', ...DELAY, match: flexContact }).id,
    );
    const inFlight = Promise.all([
      stack.twilio.faults.nextRequest('messaging.messages.create'),
      stack.twilio.faults.nextRequest('interactions.create'),
      stack.twilio.faults.nextRequest('messages.create'),
    ]);
    const runs = {
      message: await start(conversationFlow, messageContact),
      sms: await start(smsFlow, smsContact),
      flex: await start(flexFlow, flexContact),
    };
    await inFlight;
    await first.kill();
    expect(stack.twilio.faults.list()).toEqual([]); // every delayed create was sent before the worker died

    const second = startWorkerProcess(stack.config);
    let lastEvents: Array<string | undefined>;
    try {
      await second.ready;
      const ended = async (flow: FlowDefinition, sid: string) => {
        await waitUntilEnded(studio, flowSids.get(flow)!, sid, 180_000);
        return (await studio.flows(flowSids.get(flow)!).executions(sid).steps.list()).map((s) => s.name);
      };
      lastEvents = (await Promise.all([ended(conversationFlow, webhookRun), ended(conversationFlow, runs.message), ended(smsFlow, runs.sms), ended(flexFlow, runs.flex)])).map((e) => e.at(-1));
    } finally {
      await second.stop();
    }
    // Count only once the lost creates are over at the emulator too: a duplicate may be made after the executions end.
    await Promise.all(delayed.map((id) => stack.twilio.faults.handled(id)));
    const conversation = (sid: string) => {
      const [only, ...more] = stack.conversationsOf(sid);
      return { more: more.length, participants: only?.participants.size, webhooksLeft: only?.webhooks.size, messages: only?.messages.map((m) => m.body) };
    };
    expect({
      lastEvents,
      webhookRun: conversation(webhookRun),
      messageRun: conversation(runs.message),
      sms: smsTo(stack, smsContact),
      interactions: interactionsFor(stack, flexContact),
    }).toEqual({
      lastEvents: ['sent', 'sent', 'sent', 'failedToEnqueue'],
      webhookRun: { more: 0, participants: 1, webhooksLeft: 0, messages: [`hello ${webhookContact}`] },
      messageRun: { more: 0, participants: 1, webhooksLeft: 0, messages: [`hello ${messageContact}`] },
      sms: [`hello ${smsContact}`],
      interactions: 1,
    });
  }, 300_000);
});
