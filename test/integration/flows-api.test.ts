import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type twilio from 'twilio';
import type { Config } from '../../src/config';
import { OpenApiResponses } from '../helpers/openapi';
import { startStack, type TestStack } from '../helpers/stack';
import type { RecordedResponse } from '../helpers/twilio-client';

const survey = JSON.parse(readFileSync(join(__dirname, '..', '..', 'flows', 'conversation-survey.json'), 'utf8'));
const studioSpec = new OpenApiResponses('twilio_studio_v2.json');

describe('Studio v2 Flows API through the official twilio client', () => {
  let stack: TestStack;
  let config: Config;
  let studio: twilio.Twilio['studio']['v2'];
  let responses: RecordedResponse[];

  beforeAll(async () => {
    stack = await startStack('flows-api');
    config = stack.config;
    studio = stack.client.studio.v2;
    responses = stack.responses;
  });

  afterAll(async () => {
    // Every response the client saw, success or error, has the shape Twilio's OpenAPI file declares.
    for (const r of responses) {
      const body = r.status >= 400 ? undefined : r.body;
      if (r.status === 204 || body === undefined) continue;
      expect({ at: `${r.method} ${r.path} ${r.status}`, errors: studioSpec.errorsFor(r.path, r.method, r.status, body) }).toEqual({
        at: `${r.method} ${r.path} ${r.status}`,
        errors: [],
      });
    }
    await stack?.stop();
  });

  test('when a flow is created, fetched, updated and its revisions read, then each answer is Studio’s', async () => {
    const created = await studio.flows.create({ friendlyName: 'Survey', status: 'published', definition: survey, commitMessage: 'first' });
    expect(created).toMatchObject({ friendlyName: 'Survey', status: 'published', revision: 1, valid: true, errors: [], warnings: [] });
    expect(created.sid).toMatch(/^FW[0-9a-f]{32}$/);
    expect(created.definition).toEqual(survey);
    expect(created.links).toEqual({
      test_users: `${config.publicBaseUrl}/v2/Flows/${created.sid}/TestUsers`,
      revisions: `${config.publicBaseUrl}/v2/Flows/${created.sid}/Revisions`,
      executions: `${config.publicBaseUrl}/v2/Flows/${created.sid}/Executions`,
    });

    const draft = { ...survey, description: 'draft edit' };
    const updated = await studio.flows(created.sid).update({ status: 'draft', definition: draft, commitMessage: 'edit' });
    expect(updated).toMatchObject({ revision: 2, status: 'draft', friendlyName: 'Survey', commitMessage: 'edit' });
    expect((await studio.flows(created.sid).fetch()).definition).toEqual(draft);

    // twilio-node 6.2's revisions list cannot build its items (FlowRevisionPage passes no revision and
    // FlowRevisionInstance calls revision.toString()), whatever the server answers; so the list is read over HTTP.
    const listed = await fetch(`${stack.api.url}/v2/Flows/${created.sid}/Revisions`, { headers: { authorization: stack.authorization } });
    const revisions = (await listed.json()) as { revisions: Array<{ revision: number; status: string; definition: unknown }> };
    expect(studioSpec.errorsFor(`/v2/Flows/${created.sid}/Revisions`, 'GET', 200, revisions)).toEqual([]);
    expect(revisions.revisions.map((r) => [r.revision, r.status, r.definition])).toEqual([
      [2, 'draft', null],
      [1, 'published', null],
    ]);
    expect((await studio.flows(created.sid).revisions('1').fetch()).definition).toEqual(survey);
    expect((await studio.flows(created.sid).revisions('LatestPublished').fetch()).revision).toBe(1);
    expect((await studio.flows(created.sid).revisions('LatestRevision').fetch()).revision).toBe(2);
    await expect(studio.flows(created.sid).revisions('Newest').fetch()).rejects.toMatchObject({ status: 400, code: 81021 });
    await expect(studio.flows(created.sid).revisions('7').fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  test('when several flows exist, then the list pages through all of them without definitions', async () => {
    const sids: string[] = [];
    for (const name of ['List A', 'List B', 'List C']) {
      sids.push((await studio.flows.create({ friendlyName: name, status: 'draft', definition: survey })).sid);
    }

    const listed = await studio.flows.list({ pageSize: 2 });

    const mine = listed.filter((f) => sids.includes(f.sid));
    expect(mine.map((f) => f.friendlyName).sort()).toEqual(['List A', 'List B', 'List C']);
    expect(mine.every((f) => f.definition === null)).toBe(true);
  });

  test('when a flow is removed, then fetching it answers 404', async () => {
    const { sid } = await studio.flows.create({ friendlyName: 'Doomed', status: 'draft', definition: survey });

    expect(await studio.flows(sid).remove()).toBe(true);

    await expect(studio.flows(sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    await expect(studio.flows(sid).revisions.list()).rejects.toMatchObject({ status: 404 });
  });

  test('when a definition is validated, then a valid one answers valid and a broken one 81022 with its paths', async () => {
    expect((await studio.flowValidate.update({ friendlyName: 'x', status: 'draft', definition: survey })).valid).toBe(true);

    const broken = { ...survey, states: survey.states.map((s: { name: string }, i: number) => (i === 2 ? { ...s, name: 'Trigger' } : s)) };
    const error = await studio.flowValidate.update({ friendlyName: 'x', status: 'draft', definition: broken }).catch((e: unknown) => e);

    expect(error).toMatchObject({ status: 400, code: 81022 });
    expect((error as { details: unknown }).details).toEqual({
      errors: expect.arrayContaining([{ property_path: '#/states/2/name', message: "widget name 'Trigger' is already used by #/states/0" }]),
    });
  });

  test('when a create carries an invalid definition, then it answers 400 81022 and stores nothing', async () => {
    const before = (await studio.flows.list()).length;
    const invalid = { ...survey, initial_state: 'nowhere' };

    await expect(studio.flows.create({ friendlyName: 'Bad', status: 'draft', definition: invalid })).rejects.toMatchObject({
      status: 400,
      code: 81022,
    });
    expect((await studio.flows.list()).length).toBe(before);
  });

  test('when credentials are wrong or missing, then it answers 401 with code 20003', async () => {
    for (const authorization of [`Basic ${Buffer.from(`${config.twilio.accountSid}:wrong`).toString('base64')}`, undefined]) {
      const response = await fetch(`${stack.api.url}/v2/Flows`, { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      const body = await response.json();
      expect(body).toEqual({
        code: 20003,
        message: expect.stringMatching(/^Authenticate: .*account SID.*auth token.*TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN/),
        more_info: 'https://www.twilio.com/docs/errors/20003',
        status: 401,
      });
      expect(JSON.stringify(body)).not.toContain(config.twilio.authToken); // names the settings, never the token
    }
  });

  test.each([
    ['Definition that is not JSON', 'FriendlyName=x&Status=draft&Definition=%7Bnope', 400, 81022],
    ['no Status', `FriendlyName=x&Definition=${encodeURIComponent(JSON.stringify(survey))}`, 400, 20001],
    ['an unknown Status', `FriendlyName=x&Status=live&Definition=${encodeURIComponent(JSON.stringify(survey))}`, 400, 20001],
    ['Status given twice', `FriendlyName=x&Status=draft&Status=published&Definition=${encodeURIComponent('{}')}`, 400, 20001],
    ['a Definition that is a JSON string', `FriendlyName=x&Status=draft&Definition=${encodeURIComponent('"x"')}`, 400, 81022],
  ])('when the body has %s, then it answers a Twilio error, never a 500', async (_what, body, status, code) => {
    const response = await fetch(`${stack.api.url}/v2/Flows`, {
      method: 'POST',
      headers: { authorization: stack.authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });

    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ code, status, more_info: `https://www.twilio.com/docs/errors/${code}` });
  });
});
