import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { createLogger } from '../../src/logger';
import { getExecutionQuery } from '../../src/workflows/contracts/execution-messages';
import { contactNumbers } from '../helpers/contacts';
import { type ExecutionContextShape, publish, restFlow } from '../helpers/flows';
import { ASK_THEN_ECHO, deliverLikeTwilio, executionsOf, flowWebhookUrl, messagingWebhookFields, postSigned, smsBodiesTo, triggeredFlow } from '../helpers/inbound';
import { startStack, type TestStack } from '../helpers/stack';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** Twilio's error body, and nothing else. */
const twilioError = (status: number, code: number) => ({ code, status, message: expect.any(String), more_info: `https://www.twilio.com/docs/errors/${code}` });

const askWidgets = ASK_THEN_ECHO;

describe('inbound routing: one execution per contact, each message once, bad input refused', () => {
  let stack: TestStack;
  let studio: twilio.Twilio['studio']['v2'];
  const logLines: Array<Record<string, unknown>> = [];
  const nextContact = contactNumbers('+1555830');
  const number = '+15558399999';

  beforeAll(async () => {
    const apiLogger = createLogger('api', { level: 'debug', write: (line) => void logLines.push(JSON.parse(line) as Record<string, unknown>) });
    stack = await startStack('inbound-routing', { apiLogger });
    studio = stack.client.studio.v2;
  });

  afterAll(() => stack?.stop());

  /** `fields` with one of them given twice, signed as Twilio signs a repeated parameter. */
  function postRepeated(url: string, fields: Record<string, string>, [name, second]: [string, string]) {
    const params: Record<string, string | string[]> = { ...fields, [name]: [fields[name]!, second] };
    const body = new URLSearchParams(fields);
    body.append(name, second);
    const signature = twilio.getExpectedTwilioSignature(stack.config.twilio.authToken, url, params);
    return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: body.toString() });
  }

  /** Every MessageSid the execution took or ignored: its trigger, its replies, and the ones its warnings name. */
  async function messageSidsSeenBy(executionSid: string): Promise<string[]> {
    const view = await stack.temporal.workflow.getHandle(executionSid).query(getExecutionQuery);
    const context = view!.context as unknown as ExecutionContextShape & { trigger: { message?: { MessageSid: string } } };
    const replies = Object.values(context.widgets).flatMap((w) => (w.inbound ? [String((w.inbound as { MessageSid: string }).MessageSid)] : []));
    const warned = view!.warnings.flatMap((w) => /message (SM\w+)/.exec(w.message)?.[1] ?? []);
    return [...(context.trigger.message ? [context.trigger.message.MessageSid] : []), ...replies, ...warned];
  }

  test('when 20 first messages from one contact arrive at once, and again, then one execution, and each MessageSid reaches it at most once', async () => {
    // It asks 20 times, more than the other 19 messages can answer, so it is still active (still the contact's) while
    // every message and redelivery arrives. (With two asks it could end after two replies while messages were still
    // in flight, and those rightly started the contact's next execution: a flaky count.)
    const asks = Array.from({ length: 20 }, (_, i) => ({
      ...askWidgets[0]!,
      name: i === 0 ? 'ask' : `ask_${i}`,
      transitions: [{ event: 'incomingMessage', next: i < 19 ? `ask_${i + 1}` : 'echo' }, { event: 'timeout' }, { event: 'deliveryFailure' }],
    }));
    const flowSid = await publish(studio, triggeredFlow('incomingMessage', ...asks, askWidgets[1]!), 'Concurrent');
    const contact = nextContact();
    const texts = Array.from({ length: 20 }, (_, i) => messagingWebhookFields(stack, { from: contact, to: number, body: `store ${i}` }));
    const url = flowWebhookUrl(stack, flowSid);

    const first = await Promise.all(texts.map((fields) => deliverLikeTwilio(stack, url, fields)));
    const again = await Promise.all(texts.map((fields) => deliverLikeTwilio(stack, url, fields))); // Twilio redelivering every one

    const answers = await Promise.all([...first, ...again].map(async (r) => [r.status, await r.text()]));
    expect(answers).toEqual(Array.from({ length: 40 }, () => [200, EMPTY_TWIML]));
    const executions = await executionsOf(stack, flowSid, 1);
    expect(executions).toHaveLength(1);
    const seen = await messageSidsSeenBy(executions[0]!.sid);
    // Each of the 20 reached it exactly once (the redeliveries not at all): its trigger, the replies the asks took,
    // and an 81002 warning for each that arrived while it was busy.
    expect([...seen].sort()).toEqual(texts.map((t) => t.MessageSid).sort());
    const execution = await studio.flows(flowSid).executions(executions[0]!.sid).fetch();
    if (execution.status === 'active') await studio.flows(flowSid).executions(execution.sid).update({ status: 'ended' });
  });

  test('when the message that started an execution is delivered again after it ended, then no second execution starts', async () => {
    const flowSid = await publish(studio, triggeredFlow('incomingMessage', askWidgets[1]!), 'One shot');
    const contact = nextContact();
    const fields = messagingWebhookFields(stack, { from: contact, to: number, body: 'once' });
    await postSigned(stack, flowWebhookUrl(stack, flowSid), fields);
    await smsBodiesTo(stack, contact, 1); // the flow ran to its end

    const redelivered = await postSigned(stack, flowWebhookUrl(stack, flowSid), fields);

    expect([redelivered.status, await redelivered.text()]).toEqual([200, EMPTY_TWIML]);
    expect(await studio.flows(flowSid).executions.list()).toHaveLength(1);
    expect(await smsBodiesTo(stack, contact, 1)).toHaveLength(1);
  });

  test('when webhooks are forged, unsigned, for another account, an unknown or draft flow, malformed, or a call, then each a clear answer, 0 executions, 0 signals', async () => {
    const flowSid = await publish(studio, restFlow(...askWidgets), 'Waiting');
    const draftSid = (await studio.flows.create({ friendlyName: 'Draft only', status: 'draft', definition: triggeredFlow('incomingMessage', ...askWidgets) })).sid;
    const contact = nextContact();
    const { sid } = await studio.flows(flowSid).executions.create({ to: contact, from: number });
    await smsBodiesTo(stack, contact, 1); // it waits for the contact's answer now
    const url = flowWebhookUrl(stack, flowSid);
    const fields = messagingWebhookFields(stack, { from: contact, to: number, body: 'B' });
    const { MessageSid: _sid, ...withoutMessageSid } = fields;
    const plain = (body: string, type = 'application/x-www-form-urlencoded') => fetch(url, { method: 'POST', headers: { 'content-type': type, 'x-twilio-signature': 'x' }, body });
    const from = logLines.length;

    const answers = {
      unsigned: await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() }),
      forged: await postSigned(stack, url, fields, 'bm90IGEgc2lnbmF0dXJl'),
      otherAccountPath: await postSigned(stack, url.replace(stack.config.twilio.accountSid, `AC${'0'.repeat(32)}`), fields),
      otherAccountBody: await postSigned(stack, url, { ...fields, AccountSid: `AC${'1'.repeat(32)}` }),
      unknownFlow: await postSigned(stack, url.replace(flowSid, `FW${randomBytes(16).toString('hex')}`), fields),
      draftFlow: await postSigned(stack, url.replace(flowSid, draftSid), fields),
      noMessageSid: await postSigned(stack, url, withoutMessageSid),
      repeatedField: await postRepeated(url, fields, ['From', '+15550000000']),
      json: await plain(JSON.stringify(fields), 'application/json'),
      badConversation: await postSigned(stack, url, { EventType: 'onMessageAdded', ConversationSid: 'not-a-sid', MessageSid: 'IM1', Author: contact, AccountSid: stack.config.twilio.accountSid }),
    };
    const call = await postSigned(stack, url, { CallSid: `CA${'2'.repeat(32)}`, AccountSid: stack.config.twilio.accountSid, From: contact, To: number, CallStatus: 'ringing', Direction: 'inbound' });

    const statuses = Object.fromEntries(await Promise.all(Object.entries(answers).map(async ([name, r]) => [name, [r.status, await r.json()]])));
    expect(statuses).toEqual({
      unsigned: [400, twilioError(400, 20001)],
      forged: [403, twilioError(403, 20003)],
      otherAccountPath: [404, twilioError(404, 20404)],
      otherAccountBody: [400, twilioError(400, 20001)],
      unknownFlow: [404, twilioError(404, 20404)],
      draftFlow: [400, twilioError(400, 20001)],
      noMessageSid: [400, twilioError(400, 20001)],
      repeatedField: [400, twilioError(400, 20001)],
      json: [400, twilioError(400, 20001)],
      badConversation: [400, twilioError(400, 20001)],
    });
    expect([call.status, call.headers.get('content-type'), await call.text()]).toEqual([200, 'text/xml; charset=utf-8', '<?xml version="1.0" encoding="UTF-8"?><Response><Reject/></Response>']);

    expect((await studio.flows(flowSid).executions.list()).map((e) => e.sid)).toEqual([sid]);
    expect(await studio.flows(draftSid).executions.list()).toEqual([]);
    const { events } = await stack.temporal.workflow.getHandle(sid).fetchHistory();
    expect((events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes)).toEqual([]);
    const lines = logLines.slice(from);
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'incoming call to a flow rejected: studio-temporal runs no voice widgets', flowSid }));
  });
});
