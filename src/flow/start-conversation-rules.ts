import { parse as parseDuration, toSeconds } from 'iso8601-duration';
import type { StartConversationProperties } from './definition';
import { parseJsonObject } from './parse-text';
import { isSid, sidPattern } from './sids';
import { isLiquid } from './validation/issues';

/** A rule broken by a start-conversation widget; `path` is relative to the widget's `properties`. */
export interface StartConversationProblem {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

/** Conversations' reserved characters in names (DESIGN.md §6): / \ ? # % and control characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this rule rejects
const RESERVED = /[/\\?#%\u0000-\u001f\u007f]/;
const CONVERSATION_SID = sidPattern('CH');
const SID_RULES: ReadonlyArray<readonly ['conversation_service_sid' | 'messaging_service_sid', RegExp, string]> = [
  ['conversation_service_sid', sidPattern('IS'), 'must be a Conversations service SID (IS followed by 32 hex digits)'],
  ['messaging_service_sid', sidPattern('MG'), 'must be a Messaging service SID (MG followed by 32 hex digits)'],
];
const TIMER_MINIMUMS = [
  ['inactive', 60, 'PT1M (1 minute)'],
  ['closed', 600, 'PT10M (10 minutes)'],
] as const;

/**
 * The checks DESIGN.md §6 puts on start-conversation, shared by flow validation (where `skipLiquid` leaves
 * templates for later) and the widget at run time (on the rendered values, before any Twilio call).
 */
export function checkStartConversation(props: StartConversationProperties, skipLiquid: boolean): StartConversationProblem[] {
  const problems: StartConversationProblem[] = [];
  const present = (value: string | undefined): value is string => !!value && !(skipLiquid && isLiquid(value));
  const add = (path: ReadonlyArray<string | number>, message: string) => problems.push({ path, message });

  if (props.participants.length !== 1) {
    add(['participants'], `exactly one participant is supported (Group MMS is not supported); found ${props.participants.length}`);
  }
  if (present(props.friendly_name)) {
    if (props.friendly_name.length > 256) add(['friendly_name'], 'may only be 256 characters long');
    if (RESERVED.test(props.friendly_name)) add(['friendly_name'], reservedMessage());
  }
  if (present(props.unique_name)) {
    if (RESERVED.test(props.unique_name)) add(['unique_name'], reservedMessage());
    if (CONVERSATION_SID.test(props.unique_name)) add(['unique_name'], 'must not look like a conversation SID (CH followed by 32 hex digits)');
  }
  if (present(props.attributes) && !isJsonObject(props.attributes)) add(['attributes'], 'must be a JSON object');
  for (const [key, pattern, message] of SID_RULES) {
    const value = props[key];
    if (present(value) && !pattern.test(value)) add([key], message);
  }
  for (const [timer, minimum, label] of TIMER_MINIMUMS) {
    const value = props.timers?.[timer];
    if (present(value) && !(durationSeconds(value) >= minimum)) {
      add(['timers', timer], `must be an ISO-8601 duration of at least ${label}`);
    }
  }
  props.participants.forEach((participant, i) => {
    const required = participant.type === 'chat' ? (['identity'] as const) : (['messaging_binding_address', 'messaging_binding_proxy_address'] as const);
    for (const key of required) {
      const value = participant[key];
      if (value !== undefined && value.trim() === '') add(['participants', i, key], 'must not be empty');
    }
    if (participant.type === 'whatsapp') {
      for (const key of ['messaging_binding_address', 'messaging_binding_proxy_address'] as const) {
        const value = participant[key];
        if (present(value) && !value.startsWith('whatsapp:')) add(['participants', i, key], 'must be a WhatsApp address (whatsapp:+…)');
      }
    }
    if (present(participant.attributes) && !isJsonObject(participant.attributes)) {
      add(['participants', i, 'attributes'], 'must be a JSON object');
    }
    if (present(participant.role_sid) && !isSid(participant.role_sid, 'RL')) {
      add(['participants', i, 'role_sid'], 'must be a role SID (RL followed by 32 hex digits)');
    }
  });
  return problems;
}

/** Seconds in an ISO-8601 duration such as `PT5M`; NaN when it is not one. Months and years count from the epoch. */
export function durationSeconds(value: string): number {
  if (!/^P[0-9TYMWDHS.,]+$/.test(value)) return Number.NaN;
  try {
    return toSeconds(parseDuration(value), new Date(0));
  } catch {
    return Number.NaN;
  }
}

function isJsonObject(text: string): boolean {
  return parseJsonObject(text) !== undefined;
}

function reservedMessage(): string {
  return 'must not contain reserved characters (/ \\ ? # % or control characters)';
}
