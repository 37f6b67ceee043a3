import type twilio from 'twilio';
import { publish, restFlow, runToEnd } from '../helpers/flows';
import { type HttpService, startHttpService } from '../helpers/http-service';
import { contactNumbers } from '../helpers/contacts';
import { checkResponsesAndStop, startStack, type TestStack } from '../helpers/stack';

/** Each widget's every transition, end to end: official client → API → worker → emulator / HTTP service. */
describe('widgets, end to end', () => {
  let stack: TestStack;
  let studio: twilio.Twilio['studio']['v2'];
  let service: HttpService;
  const nextContact = contactNumbers('+1555000');

  beforeAll(async () => {
    stack = await startStack('widgets');
    studio = stack.client.studio.v2;
    service = await startHttpService({
      '/json': { status: 200, type: 'application/json; charset=utf-8', body: '{"score": 80, "name": "Ada"}' },
      '/missing': { status: 404, body: 'no such thing' },
      '/echo': (req) => ({ status: 200, type: 'application/json', body: JSON.stringify({ body: req.body, type: req.headers['content-type'] ?? null, auth: req.headers.authorization ?? null }) }),
      '/redirected': { status: 302, body: '' },
    });
  });

  afterAll(async () => {
    await service?.close();
    await checkResponsesAndStop(stack);
  });

  describe('set-variables and split-based-on', () => {
    const flow = () =>
      restFlow(
        { name: 'vars', type: 'set-variables', transitions: [{ event: 'next', next: 'branch' }], properties: { variables: [{ key: 'answer', value: '{{flow.data.answer | upcase}}' }, { key: 'obj', value: '{"n": {{flow.data.n | default: 0}}}', parse_as_json: true }] } },
        {
          name: 'branch',
          type: 'split-based-on',
          properties: { input: '{{flow.variables.answer}}' },
          transitions: [
            { event: 'noMatch', next: 'no' },
            { event: 'match', next: 'yes', conditions: [{ friendly_name: 'yes', arguments: ['{{flow.variables.answer}}'], type: 'matches_any_of', value: 'YES, Y' }] },
          ],
        },
        { name: 'yes', type: 'set-variables', transitions: [{ event: 'next' }], properties: { variables: [{ key: 'path', value: 'yes' }] } },
        { name: 'no', type: 'set-variables', transitions: [{ event: 'next' }], properties: { variables: [{ key: 'path', value: 'no' }] } },
      );

    test('when the input matches a condition, then match leads to its widget; otherwise noMatch', async () => {
      const flowSid = await publish(studio, flow());

      const matched = await runToEnd(studio, flowSid, nextContact(), { answer: 'y', n: 7 });
      const unmatched = await runToEnd(studio, flowSid, nextContact(), { answer: 'maybe' });

      expect(matched.events).toEqual(['incomingRequest', 'next', 'match', 'next']);
      expect(matched.context.flow.variables).toEqual({ answer: 'Y', obj: { n: 7 }, path: 'yes' });
      expect(unmatched.events).toEqual(['incomingRequest', 'next', 'noMatch', 'next']);
      expect(unmatched.context.flow.variables.path).toBe('no');
    });
  });

  describe('make-http-request', () => {
    const http = (properties: Record<string, unknown>) => restFlow({ name: 'call', type: 'make-http-request', transitions: [{ event: 'success' }, { event: 'failed' }], properties });

    test('when the answer is 2xx JSON, then success with status_code, content_type, body and parsed', async () => {
      const run = await runToEnd(studio, await publish(studio, http({ method: 'GET', url: `${service.url}/json` })), nextContact());
      expect(run.events).toEqual(['incomingRequest', 'success']);
      expect(run.context.widgets.call).toEqual({ status_code: 200, content_type: 'application/json; charset=utf-8', body: '{"score": 80, "name": "Ada"}', parsed: { score: 80, name: 'Ada' } });
    });

    test('when the answer is not 2xx, then failed with what came back', async () => {
      const run = await runToEnd(studio, await publish(studio, http({ method: 'GET', url: `${service.url}/missing` })), nextContact());
      expect(run.events.at(-1)).toBe('failed');
      expect(run.context.widgets.call).toMatchObject({ status_code: 404, body: 'no such thing' });
    });

    test('when nothing answers, then failed with the reason', async () => {
      const run = await runToEnd(studio, await publish(studio, http({ method: 'GET', url: 'http://127.0.0.1:9/' })), nextContact());
      expect(run.events.at(-1)).toBe('failed');
      expect(run.context.widgets.call).toEqual({ error: expect.stringContaining('fetch failed') });
    });

    test('when a POST is form-encoded with Twilio auth, then the parameters and credentials arrive', async () => {
      const flow = http({ method: 'POST', url: `${service.url}/echo`, content_type: 'application/x-www-form-urlencoded;charset=utf-8', parameters: [{ key: 'who', value: '{{contact.channel.address}}' }], add_twilio_auth: true });
      const to = nextContact();
      const run = await runToEnd(studio, await publish(studio, flow), to);
      expect(run.context.widgets.call?.parsed).toEqual({
        body: `who=${encodeURIComponent(to)}`,
        type: 'application/x-www-form-urlencoded;charset=utf-8',
        auth: stack.authorization,
      });
    });

    test('when a POST is JSON, then the rendered body is sent as is', async () => {
      const flow = http({ method: 'POST', url: `${service.url}/echo`, content_type: 'application/json', body: '{"name": "{{flow.data.name}}"}' });
      const run = await runToEnd(studio, await publish(studio, flow), nextContact(), { name: 'Ada' });
      expect(run.context.widgets.call?.parsed).toEqual({ body: '{"name": "Ada"}', type: 'application/json', auth: null });
    });

    test('when the URL does not render to an http(s) URL, then failed without a request', async () => {
      const before = service.requests.length;
      const run = await runToEnd(studio, await publish(studio, http({ method: 'GET', url: '{{flow.data.url}}' })), nextContact(), { url: 'ftp://x' });
      expect(run.events.at(-1)).toBe('failed');
      expect(run.context.widgets.call).toEqual({ error: 'not an http(s) URL: "ftp://x"' });
      expect(service.requests.length).toBe(before);
    });
  });

  describe('run-function', () => {
    const fn = (url: string) => restFlow({ name: 'fn', type: 'run-function', transitions: [{ event: 'success' }, { event: 'fail' }], properties: { url, parameters: [{ key: 'lead', value: '{{flow.data.lead}}' }] } });

    test('when the Function answers 2xx, then success with its parsed JSON; its parameters were POSTed', async () => {
      const run = await runToEnd(studio, await publish(studio, fn(`${service.url}/echo`)), nextContact(), { lead: 'L1' });
      expect(run.events.at(-1)).toBe('success');
      expect(run.context.widgets.fn?.parsed).toMatchObject({ body: 'lead=L1' });
    });

    test('when the Function answers 404, then fail', async () => {
      const run = await runToEnd(studio, await publish(studio, fn(`${service.url}/missing`)), nextContact());
      expect(run.events.at(-1)).toBe('fail');
    });
  });

  describe('send-message without a conversation', () => {
    const sms = (body: string) => restFlow({ name: 'tell', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body, from: '{{flow.channel.address}}', to: '{{contact.channel.address}}' } });

    test('when Twilio accepts the message, then sent with outbound.* from the message resource', async () => {
      const to = nextContact();
      const run = await runToEnd(studio, await publish(studio, sms('Hi {{flow.data.name}}')), to, { name: 'Ada' });
      expect(run.events.at(-1)).toBe('sent');
      const sent = [...stack.twilio.store.messagingMessages.values()].filter((m) => m.to === to);
      expect(sent.map((m) => [m.from, m.body])).toEqual([['+15559990000', 'Hi Ada']]);
      expect(run.context.widgets.tell?.outbound).toMatchObject({ Sid: sent[0]!.sid, To: to, From: '+15559990000', Body: 'Hi Ada', Status: 'queued' });
    });

    test('when Twilio refuses the message, then failed with its error code', async () => {
      const run = await runToEnd(studio, await publish(studio, sms('')), nextContact());
      expect(run.events.at(-1)).toBe('failed');
      expect(run.context.widgets.tell?.outbound).toEqual({ ErrorCode: 21602, ErrorMessage: expect.any(String) });
    });
  });

  describe('send-and-wait-for-reply without a conversation', () => {
    const ask = (body: string, timeout: string) =>
      restFlow({ name: 'ask', type: 'send-and-wait-for-reply', transitions: [{ event: 'incomingMessage' }, { event: 'timeout' }, { event: 'deliveryFailure' }], properties: { body, timeout } });

    test('when no reply comes within the timeout, then timeout with the sent message in outbound', async () => {
      const run = await runToEnd(studio, await publish(studio, ask('Still there?', '1')), nextContact());
      expect(run.events.at(-1)).toBe('timeout');
      expect(run.context.widgets.ask?.outbound).toMatchObject({ Body: 'Still there?' });
    });

    test('when the prompt cannot be sent, then deliveryFailure', async () => {
      const run = await runToEnd(studio, await publish(studio, ask('', '60')), nextContact());
      expect(run.events.at(-1)).toBe('deliveryFailure');
    });
  });

  describe('what ends an execution with an error', () => {
    test('when the flow reaches a widget type this runtime does not run, then it ends naming the type', async () => {
      const run = await runToEnd(studio, await publish(studio, restFlow({ name: 'greet', type: 'say-play', properties: { say: 'hi' } })), nextContact());
      expect(run.events).toEqual(['incomingRequest', 'failed']);
      expect(run.context.flow.error).toEqual({ code: 84002, message: "widget 'greet' has type 'say-play', which studio-temporal does not run" });
    });

    test('when a widget loops to itself, then it stops after 10 runs in a row with 81000', async () => {
      const loop = restFlow({ name: 'again', type: 'set-variables', transitions: [{ event: 'next', next: 'again' }], properties: { variables: [{ key: 'n', value: '{{flow.variables.n | plus: 1}}' }] } });
      const run = await runToEnd(studio, await publish(studio, loop), nextContact());
      // Set Variables types an unquoted number as a number, as Studio does (set-variables.ts studioTyped).
      expect(run.context.flow.variables.n).toBe(10);
      expect(run.context.flow.error?.code).toBe(81000);
    });

    test('when two widgets loop, then the execution ends at 1,000 steps with 81000', async () => {
      const loop = restFlow(
        { name: 'ping', type: 'set-variables', transitions: [{ event: 'next', next: 'pong' }], properties: {} },
        { name: 'pong', type: 'set-variables', transitions: [{ event: 'next', next: 'ping' }], properties: {} },
      );
      const run = await runToEnd(studio, await publish(studio, loop), nextContact());
      expect(run.steps).toHaveLength(1000);
      expect(run.steps.at(-1)?.transitionedTo).toBe('Ended');
      expect(run.context.flow.error).toEqual({ code: 81000, message: "the execution reached Studio's limit of 1000 steps" });
    });
  });
});
