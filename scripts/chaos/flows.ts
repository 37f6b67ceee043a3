import type { FlowDefinition } from '../../src/flow/definition';
import { restFlow } from '../../test/helpers/flows';

/**
 * The flows the chaos suite plays. Every message a flow sends carries `flow.data.marker`, unique per execution, so
 * the emulator's store shows how many times each was sent.
 */

const START = {
  name: 'start',
  type: 'start-conversation',
  transitions: [{ event: 'created', next: 'ask' }, { event: 'failed' }],
  properties: { participants: [{ type: 'sms', messaging_binding_address: '{{contact.channel.address}}', messaging_binding_proxy_address: '{{flow.channel.address}}' }] },
} as const;

/** Prompt text of the `n`-th Send & Wait for Reply (1-based) of the execution with `marker`. */
export const promptText = (marker: string, n: number): string => `Q${n} ${marker}`;
/** The message the flow sends after the last reply. */
export const thanksText = (marker: string): string => `T ${marker}`;
/** The SMS the Messaging flow sends. */
export const smsText = (marker: string): string => `S ${marker}`;

function ask(name: string, n: number, next: string) {
  return {
    name,
    type: 'send-and-wait-for-reply',
    transitions: [{ event: 'incomingMessage', next }, { event: 'timeout' }, { event: 'deliveryFailure' }],
    properties: { body: `Q${n} {{flow.data.marker}}`, timeout: '3600' },
  };
}

const THANKS = { name: 'thanks', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'T {{flow.data.marker}}' } };

/** start-conversation → ask (one reply) → thanks → end: the flow most rows play. */
export function replyFlow(): FlowDefinition {
  return restFlow(START, ask('ask', 1, 'thanks'), THANKS);
}

/** start-conversation → ask → ask2 → thanks: a redelivered first reply would be taken by ask2. */
export function twoReplyFlow(): FlowDefinition {
  return restFlow(START, ask('ask', 1, 'ask2'), ask('ask2', 2, 'thanks'), THANKS);
}

/** One SMS through Programmable Messaging (no conversation), then the end. */
export function smsFlow(): FlowDefinition {
  return restFlow({ name: 'sms', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { body: 'S {{flow.data.marker}}' } });
}

/** start-conversation → send-to-flex: one Flex interaction per execution. */
export function flexFlow(): FlowDefinition {
  return restFlow(
    { ...START, transitions: [{ event: 'created', next: 'to_agent' }, { event: 'failed' }] },
    { name: 'to_agent', type: 'send-to-flex', transitions: [{ event: 'callComplete' }, { event: 'failedToEnqueue' }, { event: 'callFailure' }], properties: { workflow: `WW${'1'.repeat(32)}`, channel: 'sms' } },
  );
}

/** A trivial flow (one variable, then the end), for starts that only need to exist. */
export function quickFlow(): FlowDefinition {
  return restFlow({ name: 'set', type: 'set-variables', transitions: [{ event: 'next' }], properties: { variables: [{ key: 'seen', value: '{{flow.data.marker}}' }] } });
}

/** What a hostile execution's context must hold once it ended: Studio's result, or `flow.error` where Studio has none. */
export type HostileOutcome = (context: { flow?: { error?: { code?: unknown }; variables?: Record<string, unknown> }; widgets?: Record<string, unknown> }) => boolean;

const repeated = (name: string, length: number): HostileOutcome => (context) => {
  const value = context.flow?.variables?.[name];
  return typeof value === 'string' && value.length === length && context.flow?.error === undefined;
};

/**
 * Issue 11's hostile flows: flow code a flow author may write, none of which may touch the worker. Each ends its own
 * execution with Studio's result: the regex is matched in linear time (no match: `noMatch`), loops stop at Studio's
 * 15 iterations (so the nested loops and the "20 MB" loop render small values), and a value still too large for one
 * step fails that execution with `flow.error` 84002.
 */
export const HOSTILE_FLOWS: ReadonlyArray<{ name: string; flow: FlowDefinition; parameters: Record<string, string>; outcome: HostileOutcome }> = [
  {
    name: 'regex (a+)+$ on 30 a + !',
    flow: restFlow(
      {
        name: 'split',
        type: 'split-based-on',
        properties: { input: '{{flow.data.v}}' },
        transitions: [
          { event: 'noMatch', next: 'no_match' },
          { event: 'match', next: 'matched', conditions: [{ friendly_name: 'backtracks', arguments: ['{{flow.data.v}}'], type: 'regex', value: '(a+)+$' }] },
        ],
      },
      // Which branch the split took: the input ends in `!`, so the whole input does not match.
      { name: 'no_match', type: 'set-variables', transitions: [{ event: 'next' }], properties: { variables: [{ key: 'branch', value: 'noMatch' }] } },
      { name: 'matched', type: 'set-variables', transitions: [{ event: 'next' }], properties: { variables: [{ key: 'branch', value: 'match' }] } },
    ),
    parameters: { v: `${'a'.repeat(30)}!` },
    outcome: (context) => context.flow?.variables?.branch === 'noMatch' && context.flow?.error === undefined,
  },
  {
    name: 'three nested for over (1..250)',
    flow: restFlow({
      name: 'vars',
      type: 'set-variables',
      transitions: [{ event: 'next' }],
      properties: { variables: [{ key: 'x', value: '{% for a in (1..250) %}{% for b in (1..250) %}{% for c in (1..250) %}x{% endfor %}{% endfor %}{% endfor %}' }] },
    }),
    parameters: {},
    outcome: repeated('x', 15 ** 3),
  },
  {
    name: '20 MB variable',
    flow: restFlow({
      name: 'vars',
      type: 'set-variables',
      transitions: [{ event: 'next' }],
      properties: { variables: [{ key: 'big', value: '{% for i in (1..1000000) %}xxxxxxxxxxxxxxxxxxxx{% endfor %}' }] },
    }),
    parameters: {},
    outcome: repeated('big', 15 * 20),
  },
  {
    name: '1 MB value (four nested loops of 15)',
    flow: restFlow({
      name: 'vars',
      type: 'set-variables',
      transitions: [{ event: 'next' }],
      properties: {
        variables: [{ key: 'huge', value: '{% for a in (1..15) %}{% for b in (1..15) %}{% for c in (1..15) %}{% for d in (1..15) %}xxxxxxxxxxxxxxxxxxxx{% endfor %}{% endfor %}{% endfor %}{% endfor %}' }],
      },
    }),
    parameters: {},
    outcome: (context) => context.flow?.error?.code === 84002,
  },
];
