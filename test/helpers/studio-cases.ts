import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import twilio from 'twilio';
import type { DeliveryAttempt } from '../../emulator/records';
import type { FlowDefinition, WidgetState } from '../../src/flow/definition';
import { getExecutionQuery } from '../../src/workflows/contracts/execution-messages';
import { exampleFlow, publish, restFlow, waitUntilEnded } from './flows';
import type { Answer, HttpService } from './http-service';
import type { TestStack } from './stack';
import { eventually } from './wait';

/** Where the cases live, with the JSON schema every case file must satisfy. */
export const CASES_DIR = join(__dirname, '..', 'fixtures', 'studio-cases');

type FlowSpec = { widgets: WidgetState[] } | { example: string } | { definition: FlowDefinition };

/** A far-end HTTP answer of a case (test/helpers/http-service.ts's Answer, JSON-shaped). */
type HttpAnswer = Pick<Answer, 'status' | 'type' | 'headers' | 'hold'> & { body?: string };

/** What happens after the REST start, in order. See case.schema.json for each call's meaning. */
export type CaseCall =
  | { reply: string; prompted?: boolean }
  | { redeliver: 'last'; prompted?: boolean }
  | { wait_for_request: string }
  | { release: string };

/** One case file (test/fixtures/studio-cases/*.json), once its schema check passed. */
export interface StudioCase {
  readonly title: string;
  readonly evidence: string;
  readonly skip?: string;
  readonly flow: FlowSpec;
  readonly subflows?: Record<string, FlowSpec>;
  readonly http?: Record<string, HttpAnswer>;
  readonly start?: { from?: string; parameters?: Record<string, unknown> };
  readonly calls?: CaseCall[];
  readonly expect: {
    events?: string[];
    path?: string[];
    context?: Record<string, unknown>;
    absent?: string[];
    warnings?: number[];
    requests?: Array<{ method: string; path: string; body?: string }>;
  };
}

/** A case file as read: its id (the file name without `.json`), and the case or why it is malformed. */
export interface LoadedCase {
  readonly id: string;
  readonly file: string;
  readonly studioCase?: StudioCase;
  readonly problem?: string;
}

/** Reads every case file and checks it against case.schema.json; a malformed one carries its `problem`. */
export function loadCases(dir = CASES_DIR): LoadedCase[] {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(dir, 'case.schema.json'), 'utf8')));
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json') && file !== 'case.schema.json')
    .sort()
    .map((file) => {
      const id = file.slice(0, -'.json'.length);
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      } catch (err) {
        return { id, file, problem: `not JSON: ${(err as Error).message}` };
      }
      if (!validate(json)) {
        const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
        return { id, file, problem: `does not match case.schema.json:\n  ${problems.join('\n  ')}` };
      }
      const studioCase = json as unknown as StudioCase;
      const dangling = danglingNames(studioCase);
      return dangling.length ? { id, file, problem: `names what it does not define: ${dangling.join(', ')}` } : { id, file, studioCase };
    });
}

/** `$FLOW:<name>` without such a subflow, and `wait_for_request`/`release` paths without such a route. */
function danglingNames(studioCase: StudioCase): string[] {
  const text = JSON.stringify([studioCase.flow, studioCase.subflows ?? {}]);
  const flows = [...text.matchAll(/\$FLOW:([A-Za-z0-9_-]+)/g)].map((m) => m[1]!).filter((name) => !studioCase.subflows?.[name]);
  const paths = (studioCase.calls ?? [])
    .map((call) => ('wait_for_request' in call ? call.wait_for_request : 'release' in call ? call.release : undefined))
    .filter((path): path is string => path !== undefined && !studioCase.http?.[path]);
  return [...flows.map((name) => `subflow "${name}" ($FLOW:${name})`), ...paths.map((path) => `http route "${path}"`)];
}

/** The far-end routes of every case, each under `/<case id>`, for one shared HTTP service. */
export function caseRoutes(cases: readonly LoadedCase[], baseUrl: () => string): Record<string, () => Answer> {
  const routes: Record<string, () => Answer> = {};
  for (const { id, studioCase } of cases) {
    for (const [path, answer] of Object.entries(studioCase?.http ?? {})) {
      // Resolved per request: a redirect's location names the service, whose port is known only once it listens.
      routes[`/${id}${path}`] = () => substitute({ body: '', ...answer }, { http: `${baseUrl()}/${id}`, flows: {} });
    }
  }
  return routes;
}

/** What a case's execution left, in the terms its `expect` uses. */
export interface CaseOutcome {
  readonly events: string[];
  readonly path: string[];
  readonly context: Record<string, unknown>;
  readonly warnings: number[];
  readonly requests: Array<{ method: string; path: string; body: string }>;
}

/**
 * Runs one case on the shared stack: publishes its subflows and flow, starts an execution for a contact of its own
 * (`to`), makes its calls in order, waits for the execution to end and reads back what `expect` compares.
 */
export async function runCase(stack: TestStack, service: HttpService, id: string, studioCase: StudioCase, to: string): Promise<CaseOutcome> {
  const studio = stack.client.studio.v2;
  const places = { http: `${service.url}/${id}`, flows: {} as Record<string, string> };
  for (const [name, spec] of Object.entries(studioCase.subflows ?? {})) {
    places.flows[name] = await publish(studio, substitute(definitionOf(spec), places), `${id} ${name}`);
  }
  const flowSid = await publish(studio, substitute(definitionOf(studioCase.flow), places), id);
  const { sid } = await studio.flows(flowSid).executions.create({ to, from: studioCase.start?.from ?? '+15559990000', parameters: studioCase.start?.parameters ?? {} });

  const contact = new Contact(stack, sid, to);
  for (const call of studioCase.calls ?? []) {
    if ('reply' in call) await contact.reply(call.reply, call.prompted !== false);
    else if ('redeliver' in call) await contact.redeliverLast(call.prompted !== false);
    else if ('wait_for_request' in call) await eventually(async () => (service.requests.some((r) => pathOf(r.url) === `/${id}${call.wait_for_request}`) ? true : undefined));
    else service.release(`/${id}${call.release}`);
  }

  const execution = await waitUntilEnded(studio, flowSid, sid);
  const steps = await studio.flows(flowSid).executions(sid).steps.list();
  const view = await stack.temporal.workflow.getHandle(sid).query(getExecutionQuery);
  return {
    events: steps.map((s) => s.name),
    path: steps.map((s) => s.transitionedTo),
    context: execution.context as Record<string, unknown>,
    warnings: (view?.warnings ?? []).map((w) => w.code),
    requests: service.requests
      .filter((r) => r.url.startsWith(`/${id}/`))
      .map((r) => ({ method: r.method, path: pathOf(r.url).slice(id.length + 1), body: r.body })),
  };
}

/** The value at a dotted path (`widgets.call.parsed`), or undefined when any part is missing. */
export function valueAt(root: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((value, key) => (value !== null && typeof value === 'object' && key in value ? (value as Record<string, unknown>)[key] : undefined), root);
}

function definitionOf(spec: FlowSpec): FlowDefinition {
  if ('example' in spec) return exampleFlow(spec.example);
  if ('definition' in spec) return spec.definition;
  // A REST trigger into the first widget; the same widget also starts the flow as a subflow (incomingParent).
  const flow = restFlow(...spec.widgets);
  const [trigger, ...states] = flow.states;
  const transitions = [...trigger!.transitions, { event: 'incomingParent', next: spec.widgets[0]!.name }];
  return { ...flow, states: [{ ...trigger!, transitions }, ...states] };
}

/** `$HTTP` becomes the case's base URL, `$FLOW:<name>` the SID of its subflow, in every string of `value`. */
function substitute<T>(value: T, places: { http: string; flows: Record<string, string> }): T {
  if (typeof value === 'string') {
    return value.replace(/\$FLOW:([A-Za-z0-9_-]+)/g, (_, name: string) => places.flows[name] ?? `$FLOW:${name}`).replaceAll('$HTTP', places.http) as T;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => substitute(item, places)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, places)])) as T;
  }
  return value;
}

function pathOf(url: string): string {
  return url.split('?')[0]!;
}

/** The case's contact, speaking in the execution's conversation as Twilio delivers it. */
class Contact {
  /** How many conversation messages the contact had seen when it last wrote: a prompt is a flow message after them. */
  private seen = 0;
  private lastDelivery?: DeliveryAttempt;

  constructor(
    private readonly stack: TestStack,
    private readonly executionSid: string,
    private readonly address: string,
  ) {}

  async reply(body: string, prompted: boolean): Promise<void> {
    const conversation = await this.promptedConversation(prompted);
    const message = (await this.stack.reply(conversation.sid, this.address, body)) as { sid: string };
    this.seen = conversation.messages.findIndex((m) => m.sid === message.sid) + 1;
    // Accepted by the webhook (taken, or ignored as Studio would) before the next call runs; a failed try is retried by the emulator.
    this.lastDelivery = await eventually(async () => this.stack.twilio.deliveries().find((d) => d.messageSid === message.sid && d.status !== null && d.status < 300));
  }

  /** What Twilio does when it did not see the first answer: the same body, same MessageSid, the next RetryCount. */
  async redeliverLast(prompted: boolean): Promise<void> {
    const last = this.lastDelivery;
    if (!last) throw new Error('redeliver: the contact has not replied yet');
    await this.promptedConversation(prompted);
    const params = { ...last.params, RetryCount: String(last.attempt + 1) };
    const signature = twilio.getExpectedTwilioSignature(this.stack.config.twilio.authToken, last.url, params);
    const response = await fetch(last.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params),
    });
    if (response.status !== 200) throw new Error(`redeliver: the webhook answered ${response.status}: ${await response.text()}`);
  }

  private async promptedConversation(prompted: boolean) {
    const conversation = await this.stack.conversationOf(this.executionSid);
    if (prompted) await eventually(async () => (conversation.messages.slice(this.seen).some((m) => m.author !== this.address) ? true : undefined));
    return conversation;
  }
}
