import fc from 'fast-check';
import twilio from 'twilio';
import { contactLockId } from '../../../src/workflows/contracts/contact-lock';
import { terminateRunning } from '../executions';
import { newRow, note, type Row } from '../measure';
import type { ChaosStack, HttpAnswer } from '../stack';

/** A request the fuzzer sends: Basic auth unless `auth` says otherwise; webhooks may carry a valid signature. */
interface FuzzRequest {
  readonly label: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly body?: { raw: string | Buffer; type: string };
  readonly auth: 'valid' | 'wrong' | 'none';
  /** Sign the form as Twilio would (webhook routes), so the request passes the signature check. */
  readonly sign?: boolean;
  /** A signed onMessageAdded to an ID that is not an execution: a 2xx must not say "delivered". */
  readonly notAnExecution?: boolean;
}

/** Real SIDs the fuzzer mixes in, so requests also reach past the "not found" checks. */
export interface FuzzTargets {
  readonly flowSid: string;
  readonly executionSid: string;
  readonly stepSid: string;
  readonly contact: string;
}

/** How long an answer may take before the request counts as stuck (bad input must be answered in milliseconds). */
const FUZZ_DEADLINE_MS = 10_000;
/** express.urlencoded's limit is 5 MB: a 6 MB body must be refused with a 413, not crash anything. */
const OVERSIZED = 6 * 1024 * 1024;

const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });

/** SIDs from right (real ones) to wrong (other prefix, bad length, path-ish characters, 1,000 characters). */
function sidArb(prefix: string, real: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constant(real) },
    hex(32).map((h) => `${prefix}${h}`),
    fc.constantFrom('FW', 'FN', 'FT', 'AC', 'CH', 'XX').chain((p) => hex(32).map((h) => `${p}${h}`)),
    fc.string({ maxLength: 40 }),
    fc.constantFrom('..', '%2e%2e', '%00', "'; DROP", 'FN%2F..', ''),
    fc.constant(`${prefix}${'a'.repeat(998)}`),
  ).map((sid) => encodeURIComponent(sid) || 'x');
}

/** Nesting depths: shallow ones and the 4,500 levels issue 11 reports (fast-check would otherwise favour small). */
const depthArb = fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1_000, max: 6_000 }));

/** Parameters (flow.data): valid JSON, invalid JSON, a scalar, or objects and arrays nested up to 6,000 levels. */
const parametersArb: fc.Arbitrary<string> = fc.oneof(
  fc.json(),
  fc.string({ maxLength: 50 }),
  depthArb.map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  depthArb.map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
);

/** A phone number, a long one (up to 2,000 characters, past Temporal's workflow-ID limit), or anything. */
const addressArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant('+15550002222') },
  fc.integer({ min: 200, max: 2_000 }).map((n) => `+1${'5'.repeat(n)}`),
  fc.string({ maxLength: 30 }),
  fc.constant(''),
);

const formArb = (fields: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<Record<string, string>> =>
  fc.record(fields, { requiredKeys: [] }).chain((known) => fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 40 }), { maxKeys: 3 }).map((extra) => ({ ...extra, ...known }) as Record<string, string>));

/** The body of a request: the form as sent by Twilio's clients, or JSON instead, or junk, or 6 MB. */
function bodyArb(form: fc.Arbitrary<Record<string, string>>): fc.Arbitrary<{ raw: string | Buffer; type: string }> {
  return fc.oneof(
    { weight: 6, arbitrary: form.map((f) => ({ raw: new URLSearchParams(f).toString(), type: 'application/x-www-form-urlencoded' })) },
    { weight: 2, arbitrary: form.map((f) => ({ raw: JSON.stringify(f), type: 'application/json' })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((raw) => ({ raw, type: 'application/x-www-form-urlencoded' })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ raw: Buffer.from(bytes), type: 'application/octet-stream' })) },
    { weight: 1, arbitrary: fc.constantFrom('application/x-www-form-urlencoded', 'application/json').map((type) => ({ raw: Buffer.alloc(OVERSIZED, 'a'), type })) },
  );
}

const pagingQueryArb = fc
  .record(
    {
      PageSize: fc.oneof(fc.integer({ min: -5, max: 2_000 }).map(String), fc.string({ maxLength: 8 })),
      PageToken: fc.oneof(fc.constant('abc'), fc.string({ maxLength: 30 }), fc.base64String({ maxLength: 40 })),
      Page: fc.integer({ min: -1, max: 50 }).map(String),
      Status: fc.constantFrom('active', 'ended', 'bogus'),
      DateCreatedFrom: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string({ maxLength: 12 })),
    },
    { requiredKeys: [] },
  )
  .map((q) => (Object.keys(q).length === 0 ? '' : `?${new URLSearchParams(q as Record<string, string>).toString()}`));

const authArb = fc.constantFrom<FuzzRequest['auth']>('valid', 'valid', 'valid', 'valid', 'wrong', 'none');

/** Every API route with fuzzed SIDs, query and body: one arbitrary per route, so each gets its share of runs. */
function routeArbs(t: FuzzTargets, accountSid: string): Array<fc.Arbitrary<FuzzRequest>> {
  const flow = sidArb('FW', t.flowSid);
  const execution = sidArb('FN', t.executionSid);
  const step = sidArb('FT', t.stepSid);
  const flowForm = formArb({ FriendlyName: fc.string({ maxLength: 300 }), Status: fc.constantFrom('draft', 'published', 'x'), Definition: fc.oneof(fc.json(), fc.string({ maxLength: 40 })), CommitMessage: fc.string({ maxLength: 40 }) });
  // Mostly a well-formed start with one field fuzzed, so the bad field is what the API has to judge.
  const startForm = fc.oneof(
    fc.record({ To: addressArb, From: fc.constant('+15550001111'), Parameters: fc.constant('{}') }),
    fc.record({ To: fc.integer({ min: 1_000_000, max: 9_999_999 }).map((n) => `+1444${n}`), From: fc.constant('+15550001111'), Parameters: parametersArb }),
    formArb({ To: addressArb, From: addressArb, Parameters: parametersArb }),
  );
  const endForm = formArb({ Status: fc.constantFrom('ended', 'active', '', 'x') });
  const testUsersForm = formArb({ TestUsers: fc.string({ maxLength: 40 }) });
  const webhookForm = formArb({ EventType: fc.constantFrom('onMessageAdded', 'onMessageUpdated', ''), MessageSid: sidArb('IM', `IM${'1'.repeat(32)}`), ConversationSid: sidArb('CH', `CH${'2'.repeat(32)}`), Author: addressArb, Body: fc.string({ maxLength: 100 }) });
  const get = (label: string, path: fc.Arbitrary<string>) => fc.record({ label: fc.constant(label), method: fc.constant('GET' as const), path, auth: authArb });
  const send = (label: string, method: 'POST' | 'DELETE', path: fc.Arbitrary<string>, body?: fc.Arbitrary<Record<string, string>>) =>
    fc.record({ label: fc.constant(label), method: fc.constant(method), path, auth: authArb, ...(body ? { body: bodyArb(body) } : {}) }) as fc.Arbitrary<FuzzRequest>;
  // Issue 11's bad inputs on an otherwise good start: valid credentials, the real flow, a form.
  const goodStart = (label: string, form: fc.Arbitrary<Record<string, string>>) =>
    form.map((f): FuzzRequest => ({ label, method: 'POST', path: `/v2/Flows/${t.flowSid}/Executions`, auth: 'valid', body: { raw: new URLSearchParams(f).toString(), type: 'application/x-www-form-urlencoded' } }));
  return [
    goodStart('POST …/Executions, long To', fc.record({ To: fc.integer({ min: 900, max: 2_000 }).map((n) => `+1${'5'.repeat(n)}`), From: fc.constant('+15550001111') })),
    goodStart('POST …/Executions, deep Parameters', fc.record({ To: fc.integer({ min: 1_000_000, max: 9_999_999 }).map((n) => `+1444${n}`), From: fc.constant('+15550001111'), Parameters: depthArb.map((d) => `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`) })),
    get('GET /healthz', fc.constant('/healthz')),
    get('GET /v2/Flows', pagingQueryArb.map((q) => `/v2/Flows${q}`)),
    send('POST /v2/Flows', 'POST', fc.constant('/v2/Flows'), flowForm),
    send('POST /v2/Flows/Validate', 'POST', fc.constant('/v2/Flows/Validate'), flowForm),
    get('GET /v2/Flows/{FW}', flow.map((f) => `/v2/Flows/${f}`)),
    send('POST /v2/Flows/{FW}', 'POST', flow.map((f) => `/v2/Flows/${f}`), flowForm),
    send('DELETE /v2/Flows/{FW}', 'DELETE', sidArb('FW', `FW${'0'.repeat(32)}`).map((f) => `/v2/Flows/${f}`)),
    get('GET …/Revisions', fc.tuple(flow, pagingQueryArb).map(([f, q]) => `/v2/Flows/${f}/Revisions${q}`)),
    get('GET …/Revisions/{n}', fc.tuple(flow, fc.oneof(fc.nat(5).map(String), fc.string({ maxLength: 6 }).map(encodeURIComponent))).map(([f, r]) => `/v2/Flows/${f}/Revisions/${r || 'x'}`)),
    get('GET …/TestUsers', flow.map((f) => `/v2/Flows/${f}/TestUsers`)),
    send('POST …/TestUsers', 'POST', flow.map((f) => `/v2/Flows/${f}/TestUsers`), testUsersForm),
    send('POST /v1/Accounts/{AC}/Flows/{FW}', 'POST', fc.tuple(sidArb('AC', accountSid), flow).map(([a, f]) => `/v1/Accounts/${a}/Flows/${f}`), webhookForm),
    send('POST …/Executions', 'POST', flow.map((f) => `/v2/Flows/${f}/Executions`), startForm),
    get('GET …/Executions', fc.tuple(flow, pagingQueryArb).map(([f, q]) => `/v2/Flows/${f}/Executions${q}`)),
    get('GET …/Executions/{FN}', fc.tuple(flow, execution).map(([f, e]) => `/v2/Flows/${f}/Executions/${e}`)),
    send('POST …/Executions/{FN}', 'POST', fc.tuple(flow, sidArb('FN', `FN${'0'.repeat(32)}`)).map(([f, e]) => `/v2/Flows/${f}/Executions/${e}`), endForm),
    send('DELETE …/Executions/{FN}', 'DELETE', fc.tuple(flow, sidArb('FN', `FN${'0'.repeat(32)}`)).map(([f, e]) => `/v2/Flows/${f}/Executions/${e}`)),
    get('GET …/Executions/{FN}/Context', fc.tuple(flow, execution).map(([f, e]) => `/v2/Flows/${f}/Executions/${e}/Context`)),
    get('GET …/Steps', fc.tuple(flow, execution, pagingQueryArb).map(([f, e, q]) => `/v2/Flows/${f}/Executions/${e}/Steps${q}`)),
    get('GET …/Steps/{FT}', fc.tuple(flow, execution, step).map(([f, e, s]) => `/v2/Flows/${f}/Executions/${e}/Steps/${s}`)),
    get('GET …/Steps/{FT}/Context', fc.tuple(flow, execution, step).map(([f, e, s]) => `/v2/Flows/${f}/Executions/${e}/Steps/${s}/Context`)),
    send('POST /webhooks/conversations/{FN}', 'POST', execution.map((e) => `/webhooks/conversations/${e}`), webhookForm).map((r) => ({ ...r, auth: 'none' as const })),
    webhookForm.chain((form) =>
      fc.constantFrom(t.flowSid, contactLockId(t.flowSid, t.contact), `FN${'9'.repeat(32)}`).map(
        (id): FuzzRequest => ({
          label: 'POST /webhooks/conversations/{not an execution}, signed',
          method: 'POST',
          path: `/webhooks/conversations/${encodeURIComponent(id)}`,
          body: { raw: new URLSearchParams({ ...form, EventType: 'onMessageAdded', MessageSid: `IM${'3'.repeat(32)}`, ConversationSid: `CH${'4'.repeat(32)}`, Author: t.contact }).toString(), type: 'application/x-www-form-urlencoded' },
          auth: 'none',
          sign: true,
          notAnExecution: true,
        }),
      ),
    ),
  ];
}

/**
 * Property-based fuzzing of every route (fast-check, seeded): each answer must come within 10 s, be a 2xx or a
 * 4xx, and every 4xx must carry Twilio's error body `{code, message, more_info, status}` with `status` equal to the
 * HTTP status. tried = requests; ended correctly = answers that held; 5xx = 5xx answers; stuck = no answer in 10 s.
 */
export async function fuzzRoutes(stack: ChaosStack, targets: FuzzTargets, runs: number, seed: number): Promise<Row> {
  const row = newRow(`fuzzed requests on every route (seed ${seed})`);
  stack.counter = row;
  const routes = routeArbs(targets, stack.config.twilio.accountSid);
  const perRoute = Math.max(1, Math.floor(runs / routes.length));
  const requests = routes.flatMap((arb, i) => fc.sample(arb, { numRuns: perRoute, seed: seed + i }));
  const queue = [...requests];
  const created: Array<{ sid: string }> = [];
  const workers = Array.from({ length: 6 }, async () => {
    for (let request = queue.shift(); request; request = queue.shift()) {
      row.tried += 1;
      const answer = await send(stack, request);
      judge(row, request, answer);
      const sid = (answer.body as { sid?: unknown } | undefined)?.sid;
      if (answer.status === 201 && typeof sid === 'string' && sid.startsWith('FN')) created.push({ sid });
    }
  });
  await Promise.all(workers);
  await terminateRunning(stack, created);
  return row;
}

async function send(stack: ChaosStack, request: FuzzRequest): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  if (request.auth === 'valid') headers.authorization = stack.authorization;
  if (request.auth === 'wrong') headers.authorization = `Basic ${Buffer.from(`${stack.config.twilio.accountSid}:wrong`).toString('base64')}`;
  if (request.body) headers['content-type'] = request.body.type;
  if (request.sign && request.body) {
    const params = Object.fromEntries(new URLSearchParams(request.body.raw.toString()));
    headers['X-Twilio-Signature'] = twilio.getExpectedTwilioSignature(stack.config.twilio.authToken, `${stack.config.publicBaseUrl}${request.path}`, params);
  } else if (request.path.startsWith('/webhooks/')) {
    headers['X-Twilio-Signature'] = 'bm90IGEgc2lnbmF0dXJl';
  }
  return stack.raw(request.path, { method: request.method, headers, body: request.body?.raw }, FUZZ_DEADLINE_MS);
}

function judge(row: Row, request: FuzzRequest, answer: HttpAnswer): void {
  const query = request.path.includes('?') ? request.path.slice(request.path.indexOf('?')).slice(0, 80) : '';
  const shown = `${request.label}${query}${request.path.length > 200 ? ` (path ${request.path.length} chars)` : ''}`;
  const body = describeBody(request);
  const kind = `${request.label} ${body.flags}`;
  if (answer.status === 0) {
    row.stuck += 1;
    return note(row, `stuck: ${shown} (${body.text}) not answered in ${FUZZ_DEADLINE_MS / 1000} s`, 16, `stuck ${kind}`);
  }
  if (answer.status >= 500) {
    row.http5xx += 1;
    return note(row, `5xx: ${shown} (${body.text}) → ${answer.status} in ${(answer.ms / 1000).toFixed(1)} s: ${answer.text.slice(0, 100)}`, 16, `${answer.status} ${kind}`);
  }
  if (answer.status >= 400 && !isTwilioError(answer)) return note(row, `${shown} → ${answer.status} without Twilio's error body: ${answer.text.slice(0, 80)}`, 16, `body ${kind}`);
  if (request.notAnExecution && answer.status < 300 && /delivered/.test(answer.text)) return note(row, `${shown} → ${answer.status} ${answer.text.slice(0, 80)} (a workflow that is no execution was signalled)`, 16, 'not an execution');
  row.endedCorrectly += 1;
}

function isTwilioError(answer: HttpAnswer): boolean {
  const body = answer.body as Record<string, unknown> | undefined;
  return typeof body === 'object' && body !== null && typeof body.code === 'number' && typeof body.message === 'string' && typeof body.more_info === 'string' && body.status === answer.status;
}

/** The body in a few words, and the flags that tell one kind of bad input from another (for de-duplicating notes). */
function describeBody(request: FuzzRequest): { text: string; flags: string } {
  if (!request.body) return { text: 'no body', flags: '' };
  const size = request.body.raw.length;
  const text = typeof request.body.raw === 'string' ? request.body.raw : '';
  const flags = [
    request.body.type,
    /(%7B%22a%22%3A|\{"a":|%5B|\[){500,}/.test(text) ? 'deeply nested Parameters' : '',
    /To=%2B1(5){150,}|"To":"\+1(5){150,}/.test(text) ? 'long To' : '',
    size > 5 * 1024 * 1024 ? 'oversized' : '',
  ].filter(Boolean);
  return { text: `${flags.join(', ')}, ${size} bytes`, flags: flags.join(',') };
}

