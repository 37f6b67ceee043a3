import type twilio from 'twilio';
import { getExecutionQuery } from '../../src/workflows/contracts/execution-messages';
import { inboundExecutionSid } from '../../src/services/inbound-router';
import { ReplyRecords } from '../../src/services/reply-records';
import { contactNumbers } from '../helpers/contacts';
import { publish } from '../helpers/flows';
import { ASK_THEN_ECHO, deliverLikeTwilio, flowWebhookUrl, messagingWebhookFields, postSigned, smsBodiesTo, smsTo, triggeredFlow } from '../helpers/inbound';
import { startStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/wait';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

const askWidgets = ASK_THEN_ECHO;

/**
 * A reply (a text while the contact's execution is active) reaches that execution exactly once, however often Twilio
 * sends it: a copy arriving after the execution took it and ended is not a new first message (DESIGN.md §8).
 */
describe('inbound replies: each reaches its execution once, even redelivered after it ended', () => {
  let stack: TestStack;
  let studio: twilio.Twilio['studio']['v2'];
  let records: ReplyRecords;
  let flowSid: string;
  const nextContact = contactNumbers('+1555840');
  const number = '+15558499999';

  beforeAll(async () => {
    stack = await startStack('inbound-reply-once');
    studio = stack.client.studio.v2;
    records = new ReplyRecords(stack.temporal, stack.config.temporal.taskQueue);
    flowSid = await publish(studio, triggeredFlow('incomingMessage', ...askWidgets), 'Ask once');
  });

  afterAll(() => stack?.stop());

  /** The contact's first text started an execution that now waits at `ask`; its SID. */
  async function waitingExecution(contact: string): Promise<string> {
    const first = messagingWebhookFields(stack, { from: contact, to: number, body: 'hi' });
    expect((await postSigned(stack, flowWebhookUrl(stack, flowSid), first)).status).toBe(200);
    expect(await smsBodiesTo(stack, contact, 1)).toEqual(['Which store?']);
    return inboundExecutionSid(flowSid, first.MessageSid!);
  }

  async function ended(executionSid: string): Promise<void> {
    await eventually(async () => ((await studio.flows(flowSid).executions(executionSid).fetch()).status === 'ended' ? true : undefined));
  }

  /** What the Temporal ID a message would start an execution under holds: its workflow type and status. */
  async function idHolds(messageSid: string) {
    const description = await stack.temporal.workflow.getHandle(inboundExecutionSid(flowSid, messageSid)).describe();
    return { type: description.type, status: description.status.name };
  }

  test('when a reply the execution took is delivered again after that execution ended, then nothing starts and it is not taken twice', async () => {
    const contact = nextContact();
    const executionSid = await waitingExecution(contact);
    const reply = messagingWebhookFields(stack, { from: contact, to: number, body: 'Main street' });
    expect((await postSigned(stack, flowWebhookUrl(stack, flowSid), reply)).status).toBe(200);
    expect(await smsBodiesTo(stack, contact, 2)).toEqual(['Which store?', 'You said Main street']);
    await ended(executionSid);

    const again = await postSigned(stack, flowWebhookUrl(stack, flowSid), reply); // Twilio's retry, seconds later

    expect([again.status, await again.text()]).toEqual([200, EMPTY_TWIML]);
    // Before reply records, this ID held a second execution started by the same reply.
    expect(await idHolds(reply.MessageSid!)).toEqual({ type: 'replyRecordWorkflow', status: 'TERMINATED' });
    expect((await studio.flows(flowSid).executions.list()).filter((e) => e.contactChannelAddress === contact)).toHaveLength(1);
    expect(smsTo(stack, contact)).toHaveLength(2);
  });

  test('when ten copies of one reply arrive at once, and ten more after the execution ended, then it is taken once and nothing starts', async () => {
    const contact = nextContact();
    const executionSid = await waitingExecution(contact);
    const reply = messagingWebhookFields(stack, { from: contact, to: number, body: 'Cedar court' });
    const url = flowWebhookUrl(stack, flowSid);

    const first = await Promise.all(Array.from({ length: 10 }, () => deliverLikeTwilio(stack, url, reply)));
    await ended(executionSid);
    const later = await Promise.all(Array.from({ length: 10 }, () => deliverLikeTwilio(stack, url, reply)));

    expect([...first, ...later].map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 200));
    expect(await smsBodiesTo(stack, contact, 2)).toEqual(['Which store?', 'You said Cedar court']);
    expect(await idHolds(reply.MessageSid!)).toEqual({ type: 'replyRecordWorkflow', status: 'TERMINATED' });
    expect(await records.state(inboundExecutionSid(flowSid, reply.MessageSid!))).toMatchObject({ kind: 'closed', holderSid: executionSid, outcome: 'delivered' });
    const view = await stack.temporal.workflow.getHandle(executionSid).query(getExecutionQuery);
    expect(view!.warnings).toEqual([]); // not one copy reached it as a second message (81002)
    expect((await studio.flows(flowSid).executions.list()).filter((e) => e.contactChannelAddress === contact)).toHaveLength(1);
  });

  test('when a hand-off was cut short after its signal landed, then the copy Twilio sends again is not signalled twice', async () => {
    const contact = nextContact();
    const executionSid = await waitingExecution(contact);
    const reply = messagingWebhookFields(stack, { from: contact, to: number, body: 'Oak road' });
    // What the first request did before it stopped: opened the record, signalled the execution, answered nothing.
    expect(await records.open(inboundExecutionSid(flowSid, reply.MessageSid!), executionSid, reply as never, false)).toEqual(expect.any(String));
    await stack.temporal.workflow.getHandle(executionSid).signal('incomingMessage', reply);
    await ended(executionSid);

    const again = await postSigned(stack, flowWebhookUrl(stack, flowSid), reply);

    expect(again.status).toBe(200);
    expect(await idHolds(reply.MessageSid!)).toEqual({ type: 'replyRecordWorkflow', status: 'TERMINATED' });
    expect(await records.state(inboundExecutionSid(flowSid, reply.MessageSid!))).toEqual({ kind: 'closed', holderSid: executionSid, outcome: 'delivered' });
    expect(await smsBodiesTo(stack, contact, 2)).toEqual(['Which store?', 'You said Oak road']);
  });

  test('when a hand-off was cut short before its signal, then the copy Twilio sends again reaches the execution once', async () => {
    const contact = nextContact();
    const executionSid = await waitingExecution(contact);
    const reply = messagingWebhookFields(stack, { from: contact, to: number, body: 'Elm square' });
    expect(await records.open(inboundExecutionSid(flowSid, reply.MessageSid!), executionSid, reply as never, false)).toEqual(expect.any(String));

    const again = await postSigned(stack, flowWebhookUrl(stack, flowSid), reply);

    expect(again.status).toBe(200);
    expect(await smsBodiesTo(stack, contact, 2)).toEqual(['Which store?', 'You said Elm square']);
    await ended(executionSid);
    const view = await stack.temporal.workflow.getHandle(executionSid).query(getExecutionQuery);
    expect(view!.warnings).toEqual([]);
    expect(await records.state(inboundExecutionSid(flowSid, reply.MessageSid!))).toEqual({ kind: 'closed', holderSid: executionSid, outcome: 'delivered' });
  });

  test('when the execution a cut-short hand-off named is gone, then the message starts the contact’s next execution, as a first text does', async () => {
    const contact = nextContact();
    const gone = `FN${'0'.repeat(31)}1`;
    const text = messagingWebhookFields(stack, { from: contact, to: number, body: 'back again' });
    const sid = inboundExecutionSid(flowSid, text.MessageSid!);
    expect(await records.open(sid, gone, text as never, false)).toEqual(expect.any(String));

    const again = await postSigned(stack, flowWebhookUrl(stack, flowSid), text);

    expect(again.status).toBe(200);
    expect(await smsBodiesTo(stack, contact, 1)).toEqual(['Which store?']);
    expect(await idHolds(text.MessageSid!)).toEqual({ type: 'executionWorkflow', status: 'RUNNING' });
    await studio.flows(flowSid).executions(sid).update({ status: 'ended' });
  });

  test('when a reply record’s ID is asked for as an execution, then 404 with Twilio’s error body', async () => {
    const contact = nextContact();
    const executionSid = await waitingExecution(contact);
    const reply = messagingWebhookFields(stack, { from: contact, to: number, body: 'Pine lane' });
    expect((await postSigned(stack, flowWebhookUrl(stack, flowSid), reply)).status).toBe(200);
    await ended(executionSid);
    const recordSid = inboundExecutionSid(flowSid, reply.MessageSid!);

    await expect(studio.flows(flowSid).executions(recordSid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });
});
