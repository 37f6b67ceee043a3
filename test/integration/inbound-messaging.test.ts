import type twilio from 'twilio';
import { getExecutionQuery } from '../../src/workflows/contracts/execution-messages';
import { contactNumbers } from '../helpers/contacts';
import { type ExecutionContextShape, publish, restFlow, waitUntilEnded } from '../helpers/flows';
import { startHttpService } from '../helpers/http-service';
import { executionsOf, smsBodiesTo, smsSurveyFlow, smsTo, text, triggeredFlow } from '../helpers/inbound';
import { checkResponsesAndStop, startStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/wait';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

describe('flows started and answered by SMS (the flow webhook URL, Programmable Messaging)', () => {
  let stack: TestStack;
  let studio: twilio.Twilio['studio']['v2'];
  const nextContact = contactNumbers('+1555810');
  const nextNumber = contactNumbers('+1555820');

  beforeAll(async () => {
    stack = await startStack('inbound-messaging');
    studio = stack.client.studio.v2;
  });

  afterAll(() => checkResponsesAndStop(stack));

  test('when a contact texts the flow’s number, then an incomingMessage execution starts, asks over SMS and branches on the SMS reply', async () => {
    const flowSid = await publish(studio, smsSurveyFlow(), 'SMS survey');
    const [contact, number] = [nextContact(), nextNumber()];

    const first = await text(stack, flowSid, { from: contact, to: number, body: 'hello' });

    expect([first.response.status, first.response.headers.get('content-type'), first.body]).toEqual([200, 'text/xml; charset=utf-8', EMPTY_TWIML]);
    const [execution] = await executionsOf(stack, flowSid, 1);
    expect(execution!.contactChannelAddress).toBe(contact);
    expect(await smsBodiesTo(stack, contact, 1)).toEqual(['Thanks for writing "hello". How would you rate us, 1 to 5?']);
    expect(smsTo(stack, contact)[0]!.from).toBe(number); // from flow.channel.address, the number the contact texted

    const reply = await text(stack, flowSid, { from: contact, to: number, body: '5', mediaUrls: ['https://example.com/smile.jpg'] });
    const ended = await waitUntilEnded(studio, flowSid, execution!.sid);

    expect(reply.body).toBe(EMPTY_TWIML);
    const steps = await studio.flows(flowSid).executions(execution!.sid).steps.list();
    expect(steps.map((s) => s.name)).toEqual(['incomingMessage', 'incomingMessage', 'match', 'sent']);
    const context = ended.context as ExecutionContextShape & { trigger: { message: Record<string, string> }; contact: { channel: { address: string } } };
    expect(context.trigger.message).toEqual(first.fields);
    expect(context.contact.channel.address).toBe(contact);
    expect(context.flow.channel).toEqual({ address: number });
    expect(context.widgets.ask!.inbound).toEqual(reply.fields); // every field of the SMS webhook: Body, From, To, MessageSid, NumMedia, MediaUrl0…
    expect(context.widgets.ask!.inbound).toMatchObject({ Body: '5', NumMedia: '1', MediaUrl0: 'https://example.com/smile.jpg' });
    expect(await smsBodiesTo(stack, contact, 2)).toEqual([expect.any(String), `Glad to hear it, ${contact}!`]);
    expect((await executionsOf(stack, flowSid, 1)).length).toBe(1); // the reply reached the execution; it started none
  });

  test('when a REST-triggered notification waits for an SMS answer, then the contact’s text reaches it and it branches on it', async () => {
    const flow = restFlow(
      {
        name: 'notify',
        type: 'send-and-wait-for-reply',
        transitions: [{ event: 'incomingMessage', next: 'answer' }, { event: 'timeout' }, { event: 'deliveryFailure' }],
        properties: { body: 'Your appointment is tomorrow at 9. Reply YES to confirm.', timeout: '600' },
      },
      {
        name: 'answer',
        type: 'split-based-on',
        transitions: [{ event: 'noMatch', next: 'call_us' }, { event: 'match', next: 'confirmed', conditions: [{ friendly_name: 'yes', arguments: ['{{widgets.notify.inbound.Body}}'], type: 'equal_to', value: 'YES' }] }],
        properties: { input: '{{widgets.notify.inbound.Body}}' },
      },
      { name: 'confirmed', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'Confirmed, see you at 9.' } },
      { name: 'call_us', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'Please call us.' } },
    );
    const flowSid = await publish(studio, flow, 'Appointment reminder');
    const [contact, number] = [nextContact(), nextNumber()];
    const { sid } = await studio.flows(flowSid).executions.create({ to: contact, from: number });
    await smsBodiesTo(stack, contact, 1);

    const answer = await text(stack, flowSid, { from: contact, to: number, body: ' yes ' });
    const ended = await waitUntilEnded(studio, flowSid, sid);

    expect(answer.body).toBe(EMPTY_TWIML);
    const steps = await studio.flows(flowSid).executions(sid).steps.list();
    expect(steps.map((s) => s.name)).toEqual(['incomingRequest', 'incomingMessage', 'match', 'sent']);
    expect((ended.context as ExecutionContextShape).widgets.notify!.inbound).toMatchObject({ Body: ' yes ', From: contact, To: number, MessageSid: answer.fields.MessageSid });
    expect(await smsBodiesTo(stack, contact, 2)).toEqual(['Your appointment is tomorrow at 9. Reply YES to confirm.', 'Confirmed, see you at 9.']);
    expect((await studio.flows(flowSid).executions.list()).map((e) => e.sid)).toEqual([sid]); // the answer started nothing
  });

  test('when one contact texts two flows’ numbers, then each flow has its own execution', async () => {
    const [first, second] = [await publish(studio, smsSurveyFlow(), 'Survey A'), await publish(studio, smsSurveyFlow(), 'Survey B')];
    const contact = nextContact();

    await text(stack, first, { from: contact, to: nextNumber(), body: 'to A' });
    await text(stack, second, { from: contact, to: nextNumber(), body: 'to B' });

    const [a, b] = [await executionsOf(stack, first, 1), await executionsOf(stack, second, 1)];
    expect([a.length, b.length]).toEqual([1, 1]);
    expect(a[0]!.sid).not.toBe(b[0]!.sid);
    expect(await smsBodiesTo(stack, contact, 2)).toEqual(expect.arrayContaining([expect.stringContaining('"to A"'), expect.stringContaining('"to B"')]));
    for (const [flowSid, [execution]] of [[first, a], [second, b]] as const) await studio.flows(flowSid).executions(execution!.sid).update({ status: 'ended' });
  });

  test('when a contact writes on WhatsApp, then the contact is the whatsapp: address, the reply goes back on WhatsApp, and the same number by SMS is another contact', async () => {
    const flowSid = await publish(studio, smsSurveyFlow(), 'WhatsApp survey');
    const phone = nextContact();
    const [whatsapp, business] = [`whatsapp:${phone}`, `whatsapp:${nextNumber()}`];

    await text(stack, flowSid, { from: whatsapp, to: business, body: 'hola' });
    await text(stack, flowSid, { from: phone, to: nextNumber(), body: 'hi' });

    const executions = await executionsOf(stack, flowSid, 2);
    expect(executions.map((e) => e.contactChannelAddress).sort()).toEqual([phone, whatsapp].sort());
    await smsBodiesTo(stack, whatsapp, 1);
    expect(smsTo(stack, whatsapp).map((m) => [m.from, m.body])).toEqual([[business, 'Thanks for writing "hola". How would you rate us, 1 to 5?']]);
    for (const execution of executions) await studio.flows(flowSid).executions(execution.sid).update({ status: 'ended' });
  });

  test('when the contact texts while the execution is busy, then warning 81002, no new execution, and the next reply is still taken', async () => {
    const service = await startHttpService({ '/lookup': { status: 200, body: 'ok', hold: true } });
    const flow = triggeredFlow(
      'incomingMessage',
      { name: 'lookup', type: 'make-http-request', transitions: [{ event: 'success', next: 'ask' }, { event: 'failed' }], properties: { method: 'GET', url: `${service.url}/lookup` } },
      { name: 'ask', type: 'send-and-wait-for-reply', transitions: [{ event: 'incomingMessage' }, { event: 'timeout' }, { event: 'deliveryFailure' }], properties: { body: 'What is your order number?', timeout: '600' } },
    );
    const flowSid = await publish(studio, flow, 'Busy flow');
    const [contact, number] = [nextContact(), nextNumber()];
    await text(stack, flowSid, { from: contact, to: number, body: 'hi' });
    await eventually(async () => (service.requests.length > 0 ? true : undefined));
    const [execution] = await executionsOf(stack, flowSid, 1);

    const early = await text(stack, flowSid, { from: contact, to: number, body: 'are you there?' });
    expect(early.body).toBe(EMPTY_TWIML);
    const warned = await eventually(async () => {
      const view = await stack.temporal.workflow.getHandle(execution!.sid).query(getExecutionQuery);
      return view?.warnings.length ? view.warnings : undefined;
    });
    service.release('/lookup');
    await smsBodiesTo(stack, contact, 1);
    const answer = await text(stack, flowSid, { from: contact, to: number, body: 'A-1234' });
    const ended = await waitUntilEnded(studio, flowSid, execution!.sid);
    await service.close();

    expect(warned.map((w) => [w.code, w.message])).toEqual([[81002, `message ${early.fields.MessageSid} arrived while no widget was waiting for a reply; it was ignored`]]);
    expect((ended.context as ExecutionContextShape).widgets.ask!.inbound).toMatchObject({ Body: 'A-1234', MessageSid: answer.fields.MessageSid });
    expect((await studio.flows(flowSid).executions.list()).length).toBe(1);
  });

  test('when a flow started by an SMS reaches start-conversation, then it takes Failed at the trigger stage and creates nothing', async () => {
    const flow = triggeredFlow(
      'incomingMessage',
      {
        name: 'start',
        type: 'start-conversation',
        transitions: [{ event: 'created' }, { event: 'failed' }],
        properties: { participants: [{ type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: '{{flow.channel.address}}' }] },
      },
    );
    const flowSid = await publish(studio, flow, 'SMS into a conversation');
    const conversationsBefore = stack.twilio.store.conversations.size;

    await text(stack, flowSid, { from: nextContact(), to: nextNumber(), body: 'hi' });
    const [execution] = await executionsOf(stack, flowSid, 1);
    const ended = await waitUntilEnded(studio, flowSid, execution!.sid);

    expect((ended.context as ExecutionContextShape).widgets.start!.error).toEqual({ code: 20001, message: 'start-conversation runs only in executions started through the REST API', stage: 'trigger' });
    expect(stack.twilio.store.conversations.size).toBe(conversationsBefore);
  });
});
