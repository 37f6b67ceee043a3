import twilio from 'twilio';
import { createLogger } from '../../src/logger';
import { contactLockId } from '../../src/workflows/contracts/contact-lock';
import { contactNumbers } from '../helpers/contacts';
import { exampleFlow, publish } from '../helpers/flows';
import { startStack, type TestStack } from '../helpers/stack';

/** Twilio's error body, and nothing else. */
const twilioError = (status: number, code = 20001) => ({
  code,
  status,
  message: expect.any(String),
  more_info: `https://www.twilio.com/docs/errors/${code}`,
});

/** Bad input, from careless and hostile clients alike: always a 4xx with Twilio's body, never a 500. */
describe('bad input', () => {
  let stack: TestStack;
  let surveySid: string;
  const logLines: Array<Record<string, unknown>> = [];
  const nextContact = contactNumbers('+1555460');

  beforeAll(async () => {
    const apiLogger = createLogger('api', { level: 'debug', write: (line) => void logLines.push(JSON.parse(line) as Record<string, unknown>) });
    stack = await startStack('bad-input', { apiLogger });
    surveySid = await publish(stack.client.studio.v2, exampleFlow('conversation-survey.json'), 'Survey');
  });

  afterAll(() => stack?.stop());

  /** A request to the API with the stack's credentials. */
  function call(path: string, init: RequestInit = {}) {
    return fetch(`${stack.api.url}${path}`, { ...init, headers: { authorization: stack.authorization, ...init.headers } });
  }

  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

  /** A webhook request as Twilio sends it to `path`, signed with the account's auth token. */
  function signedPost(path: string, fields: Record<string, string>) {
    const url = `${stack.config.publicBaseUrl}${path}`;
    const signature = twilio.getExpectedTwilioSignature(stack.config.twilio.authToken, url, fields);
    return fetch(url, { ...form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature } });
  }

  test('when a PageToken was not issued by this API for that list, then 400 with Twilio’s body', async () => {
    const executions = `/v2/Flows/${surveySid}/Executions`;
    for (const path of ['/v2/Flows?PageToken=abc', `${executions}?PageToken=abc`, `${executions}?PageToken=abc.def`, '/v2/Flows?PageToken=a&PageToken=b']) {
      const response = await call(path);
      expect({ path, status: response.status, body: await response.json() }).toEqual({ path, status: 400, body: twilioError(400) });
    }
    // A real token of one list is no token of another.
    await stack.client.studio.v2.flows.create({ friendlyName: 'second page', status: 'draft', definition: exampleFlow('conversation-survey.json') });
    const page = (await (await call('/v2/Flows?PageSize=1')).json()) as { meta: { next_page_url: string } };
    const token = new URL(page.meta.next_page_url).searchParams.get('PageToken')!;
    expect((await call(`/v2/Flows?PageSize=1&PageToken=${encodeURIComponent(token)}`)).status).toBe(200);
    expect((await call(`${executions}?PageSize=1&PageToken=${encodeURIComponent(token)}`)).status).toBe(400);
  });

  test('when PageSize or Page is not a small whole number, or is repeated, then 400', async () => {
    for (const query of ['PageSize=0', 'PageSize=abc', 'PageSize=1001', 'PageSize=1&PageSize=2', 'Page=-1', 'Page=1e3', `Page=${'9'.repeat(40)}`]) {
      for (const path of ['/v2/Flows', `/v2/Flows/${surveySid}/Executions`, `/v2/Flows/${surveySid}/Revisions`]) {
        const response = await call(`${path}?${query}`);
        expect({ query, path, status: response.status, body: await response.json() }).toEqual({ query, path, status: 400, body: twilioError(400) });
      }
    }
  });

  test('when Parameters nest 4,500 levels deep or are not an object, then create answers 400 saying what is accepted', async () => {
    const executions = stack.client.studio.v2.flows(surveySid).executions;
    // As JSON text: the client sends a string as it is (JSON.stringify of 4,500 levels overflows jest's stack).
    const nested = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;
    const [deep, nested33] = [nested(4500), nested(33)];

    for (const parameters of [deep, nested33]) {
      await expect(executions.create({ to: nextContact(), from: '+15559990000', parameters })).rejects.toMatchObject({
        status: 400,
        code: 20001,
        message: 'Parameters must be nested at most 32 levels deep',
      });
    }
    const tooLong = await call(`/v2/Flows/${surveySid}/Executions`, form({ To: nextContact(), From: '+15559990000', Parameters: JSON.stringify({ v: 'x'.repeat(70_000) }) }));
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toEqual({ ...twilioError(400), message: 'Parameters must be at most 65536 characters of JSON' });
    for (const text of ['[1]', '"text"', '{"unclosed":']) {
      const response = await call(`/v2/Flows/${surveySid}/Executions`, form({ To: nextContact(), From: '+15559990000', Parameters: text }));
      expect({ text, status: response.status }).toEqual({ text, status: 400 });
    }
  });

  test('when To or From is over-long or not one printable address, then create answers 400 naming what is accepted', async () => {
    const executions = stack.client.studio.v2.flows(surveySid).executions;

    await expect(executions.create({ to: `+1${'5'.repeat(998)}`, from: '+15559990000' })).rejects.toMatchObject({
      status: 400,
      code: 20001,
      message: expect.stringContaining('at most 256 characters'),
    });
    for (const [to, from] of [['+15551230000\n', '+15559990000'], [' +15551230000', '+15559990000'], ['+15551230000', 'x'.repeat(257)]]) {
      const response = await call(`/v2/Flows/${surveySid}/Executions`, form({ To: to!, From: from! }));
      expect({ to, from, status: response.status, body: await response.json() }).toEqual({ to, from, status: 400, body: twilioError(400) });
    }
    const repeated = await call(`/v2/Flows/${surveySid}/Executions`, { ...form({}), body: 'To=%2B15551230000&To=%2B15551230001&From=%2B15559990000' });
    expect(repeated.status).toBe(400);
    expect(await repeated.json()).toEqual({ ...twilioError(400), message: 'Parameter To must be given once' });
  });

  test('when a body is JSON instead of a form, then 400 saying the API takes form-encoded bodies', async () => {
    const response = await call(`/v2/Flows/${surveySid}/Executions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ To: nextContact(), From: '+15559990000' }),
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ ...twilioError(400), message: expect.stringContaining('must be form-encoded') });
  });

  test('when a body is larger than its route takes, then 413 with Twilio’s body, on the API and on webhooks alike', async () => {
    const big = { To: nextContact(), From: '+15559990000', Parameters: JSON.stringify({ v: 'x'.repeat(300_000) }) };
    const create = await call(`/v2/Flows/${surveySid}/Executions`, form(big));
    const webhook = await signedPost(`/webhooks/conversations/FN${'0'.repeat(32)}`, { EventType: 'onMessageAdded', Body: 'x'.repeat(300_000) });
    const flowWebhook = await signedPost(`/v1/Accounts/${stack.config.twilio.accountSid}/Flows/${surveySid}`, { Body: 'x'.repeat(300_000) });

    for (const response of [create, webhook, flowWebhook]) {
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({ ...twilioError(413), message: 'The request body is larger than this URL takes: at most 262144 bytes' });
    }
  });

  test('when a flow save carries a definition nested thousands deep, or an over-long name or commit message, then 400', async () => {
    const survey = exampleFlow('conversation-survey.json');
    const deepProperty = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const deep = JSON.stringify({ ...survey, states: survey.states.map((s, i) => (i === 1 ? { ...s, properties: { ...s.properties, deep: '@' } } : s)) }).replace('"@"', deepProperty);
    const saves = [
      form({ FriendlyName: 'deep', Status: 'draft', Definition: deep }),
      form({ FriendlyName: 'x'.repeat(100_000), Status: 'draft', Definition: JSON.stringify(survey) }),
      form({ FriendlyName: 'long message', Status: 'draft', Definition: JSON.stringify(survey), CommitMessage: 'x'.repeat(100_000) }),
    ];

    for (const [path, init] of saves.flatMap((save) => [['/v2/Flows', save], ['/v2/Flows/Validate', save], [`/v2/Flows/${surveySid}`, save]] as const)) {
      const response = await call(path, init);
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
    }
  });

  test('when a path names something that is not a SID of its kind, then 404 before Temporal is asked', async () => {
    const { sid } = await stack.client.studio.v2.flows(surveySid).executions.create({ to: nextContact(), from: '+15559990000' });
    const paths = [
      `/v2/Flows/${sid}`, // an execution's SID as a flow's
      `/v2/Flows/${'F'.repeat(1500)}`,
      `/v2/Flows/${surveySid}/Executions/${surveySid}`,
      `/v2/Flows/${surveySid}/Executions/${'FN'.repeat(600)}`,
      `/v2/Flows/${surveySid}/Executions/${sid}/Steps/nope`,
      `/v2/Flows/${encodeURIComponent(contactLockId(surveySid, '+15551230000'))}/Revisions`,
    ];
    for (const path of paths) {
      const response = await call(path);
      expect({ path, status: response.status, body: await response.json() }).toEqual({ path, status: 404, body: twilioError(404, 20404) });
    }
    await stack.client.studio.v2.flows(surveySid).executions(sid).update({ status: 'ended' });
  });

  test('when a signed webhook names a flow or a contact lock instead of an execution, then 200 ignored and no workflow is signalled', async () => {
    const to = nextContact();
    const { sid } = await stack.client.studio.v2.flows(surveySid).executions.create({ to, from: '+15559990000' });
    const lock = contactLockId(surveySid, to);
    const message = { EventType: 'onMessageAdded', ConversationSid: `CH${'1'.repeat(32)}`, MessageSid: `IM${'2'.repeat(32)}`, Author: to, Body: '5' };

    for (const target of [surveySid, encodeURIComponent(lock), `${sid}%2Fsomething`]) {
      const response = await signedPost(`/webhooks/conversations/${target}`, message);
      expect({ target, status: response.status, body: await response.json() }).toEqual({ target, status: 200, body: { ignored: 'no active execution' } });
    }

    for (const workflowId of [surveySid, lock]) {
      const { events } = await stack.temporal.workflow.getHandle(workflowId).fetchHistory();
      expect({ workflowId, signals: (events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes) }).toEqual({ workflowId, signals: [] });
    }
    await stack.client.studio.v2.flows(surveySid).executions(sid).update({ status: 'ended' });
  });
});
