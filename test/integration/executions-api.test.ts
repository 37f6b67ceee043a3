import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type twilio from 'twilio';
import { OpenApiResponses } from '../helpers/openapi';
import { type HttpService, startHttpService } from '../helpers/http-service';
import { startStack, type TestStack } from '../helpers/stack';
import type { RecordedResponse } from '../helpers/twilio-client';
import { eventually } from '../helpers/wait';

const httpFlow = JSON.parse(readFileSync(join(__dirname, '..', '..', 'flows', 'http-branching.json'), 'utf8'));
const studioSpec = new OpenApiResponses('twilio_studio_v2.json');

describe('Studio v2 Executions, Steps and Context through the official twilio client', () => {
  let stack: TestStack;
  let studio: twilio.Twilio['studio']['v2'];
  let responses: RecordedResponse[];
  let orders: HttpService;
  let flowSid: string;

  beforeAll(async () => {
    stack = await startStack('executions-api');
    studio = stack.client.studio.v2;
    responses = stack.responses;
    orders = await startHttpService({
      '/orders': (req) => {
        const id = new URL(req.url, 'http://x').searchParams.get('order_id');
        const status = id === '1' ? 'shipped' : id === '2' ? 'packed' : 'unknown';
        return { status: 200, type: 'application/json', body: JSON.stringify({ status, carrier: 'UPS', tracking: `1Z${id}` }) };
      },
    });
    flowSid = (await studio.flows.create({ friendlyName: 'Orders', status: 'published', definition: httpFlow })).sid;
  });

  afterAll(async () => {
    for (const r of responses.filter((x) => x.status < 300 && x.status !== 204)) {
      expect({ at: `${r.method} ${r.path}`, errors: studioSpec.errorsFor(r.path, r.method, r.status, r.body) }).toEqual({ at: `${r.method} ${r.path}`, errors: [] });
    }
    await orders?.close();
    await stack?.stop();
  });

  const ended = (sid: string) =>
    eventually(async () => {
      const execution = await studio.flows(flowSid).executions(sid).fetch();
      return execution.status === 'ended' ? execution : undefined;
    });

  test('when the example HTTP flow runs, then it branches on the JSON, texts the contact and its steps read back', async () => {
    const created = await studio.flows(flowSid).executions.create({
      to: '+15550001001',
      from: '+15559990000',
      parameters: { order_id: '1', status_url: `${orders.url}/orders` },
    });
    expect(created).toMatchObject({ status: 'active', flowSid, contactChannelAddress: '+15550001001', flowVersion: 1, context: {} });
    expect(created.sid).toMatch(/^FN[0-9a-f]{32}$/);

    const execution = await ended(created.sid);

    expect(orders.requests.at(-1)?.url).toBe('/orders?order_id=1');
    const sms = [...stack.twilio.store.messagingMessages.values()].filter((m) => m.to === '+15550001001');
    expect(sms.map((m) => m.body)).toEqual(['Order 1 shipped with UPS, tracking 1Z1.']);
    expect(execution.context).toMatchObject({
      flow: { sid: created.sid, flow_sid: flowSid, variables: { order_id: 1 }, data: { order_id: '1' } }, // Set Variables types `1` as Studio does
      contact: { channel: { address: '+15550001001' } },
      widgets: { lookup_order: { status_code: 200, parsed: { status: 'shipped' } }, tell_shipped: { outbound: { Status: 'queued', To: '+15550001001' } } },
    });

    const steps = await studio.flows(flowSid).executions(created.sid).steps.list();
    expect(steps.map((s) => [s.name, s.transitionedFrom, s.transitionedTo, s.type])).toEqual([
      ['incomingRequest', 'Trigger', 'set_lookup', 'trigger'],
      ['next', 'set_lookup', 'lookup_order', 'set-variables'],
      ['success', 'lookup_order', 'check_status', 'make-http-request'],
      ['match', 'check_status', 'tell_shipped', 'split-based-on'],
      ['sent', 'tell_shipped', 'Ended', 'send-message'],
    ]);
    const lookupStep = steps[2]!;
    expect(lookupStep.sid).toMatch(/^FT[0-9a-f]{32}$/);
    const stepContext = await studio.flows(flowSid).executions(created.sid).steps(lookupStep.sid).stepContext().fetch();
    expect(stepContext.context).toMatchObject({ widgets: { lookup_order: { parsed: { carrier: 'UPS' } } } });
    expect((stepContext.context as { widgets: object }).widgets).not.toHaveProperty('tell_shipped');

    const context = await studio.flows(flowSid).executions(created.sid).executionContext().fetch();
    expect(context.context).toEqual(execution.context);
  });
});
