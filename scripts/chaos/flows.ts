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

/** Issue 11's hostile flows: flow code a flow author may write, each of which must fail only its own execution. */
export const HOSTILE_FLOWS: ReadonlyArray<{ name: string; flow: FlowDefinition; parameters: Record<string, string> }> = [
  {
    name: 'regex (a+)+$ on 30 a + !',
    flow: restFlow({
      name: 'split',
      type: 'split-based-on',
      properties: { input: '{{flow.data.v}}' },
      transitions: [{ event: 'noMatch' }, { event: 'match', conditions: [{ friendly_name: 'backtracks', arguments: ['{{flow.data.v}}'], type: 'regex', value: '(a+)+$' }] }],
    }),
    parameters: { v: `${'a'.repeat(30)}!` },
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
  },
];
