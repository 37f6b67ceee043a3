import type {
  FlowDefinition,
  NumberLike,
  RunSubflowProperties,
  StartConversationProperties,
  WidgetState,
} from '../definition';
import { isSid } from '../sids';
import { checkStartConversation } from '../start-conversation-rules';
import { compileStudioRegex } from '../studio-regex';
import { type FlowIssue, isLiquid, pointer } from './issues';

const REVISION_SELECTORS = ['LatestPublished', 'LatestRevision'];

/** Checks that need code rather than schema; runs on a definition that already matches the schema. */
export function semanticIssues(flow: FlowDefinition): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const report = (message: string, ...path: Array<string | number>) => issues.push({ property_path: pointer(...path), message });
  const firstIndexOf = new Map<string, number>();

  flow.states.forEach((state, i) => {
    const earlier = firstIndexOf.get(state.name);
    if (earlier === undefined) firstIndexOf.set(state.name, i);
    else report(`widget name '${state.name}' is already used by ${pointer('states', earlier)}`, 'states', i, 'name');
  });
  const triggers = flow.states.flatMap((state, i) => (state.type === 'trigger' ? [i] : []));
  if (triggers.length !== 1) report(`a flow needs exactly one trigger widget; found ${triggers.length}`, 'states');
  const initial = firstIndexOf.get(flow.initial_state);
  if (initial === undefined) report(`names no widget: '${flow.initial_state}'`, 'initial_state');
  else if (flow.states[initial]?.type !== 'trigger') report(`must name the trigger widget, not '${flow.initial_state}'`, 'initial_state');

  flow.states.forEach((state, i) => {
    checkTransitions(state, (message, ...rest) => report(message, 'states', i, 'transitions', ...rest), firstIndexOf);
    checkWidget(state, (message, ...rest) => report(message, 'states', i, 'properties', ...rest));
  });
  return issues;
}

type Report = (message: string, ...path: Array<string | number>) => void;

function checkTransitions(state: WidgetState, report: Report, names: ReadonlyMap<string, number>): void {
  state.transitions.forEach((transition, j) => {
    if (transition.next && !names.has(transition.next)) report(`names no widget: '${transition.next}'`, j, 'next');
    const isMatch = state.type === 'split-based-on' && transition.event === 'match';
    if (isMatch && !transition.conditions?.length) report('a match transition needs at least one condition', j, 'conditions');
    if (!isMatch && transition.conditions !== undefined) report('only the match transitions of split-based-on carry conditions', j, 'conditions');
    transition.conditions?.forEach((condition, k) => {
      if (condition.type !== 'regex' || isLiquid(condition.value)) return; // a Liquid pattern is checked once rendered
      const regex = compileStudioRegex(condition.value);
      if (!regex.ok) report(`is not a regex this runtime can match (it would never match): ${regex.reason}`, j, 'conditions', k, 'value');
    });
  });
}

function checkWidget(state: WidgetState, report: Report): void {
  const props = state.properties ?? {};
  switch (state.type) {
    case 'send-and-wait-for-reply':
      checkSeconds(props.timeout as NumberLike | undefined, report, 'timeout');
      break;
    case 'send-to-flex':
      checkSeconds(props.timeout as NumberLike | undefined, report, 'timeout');
      checkInteger(props.priority as NumberLike | undefined, report, 'priority');
      break;
    case 'run-subflow':
      checkRunSubflow(props as RunSubflowProperties, report);
      break;
    case 'start-conversation':
      for (const problem of checkStartConversation(props as StartConversationProperties, true)) report(problem.message, ...problem.path);
      break;
  }
}

function checkRunSubflow(props: RunSubflowProperties, report: Report): void {
  if (!isSid(props.flow_sid, 'FW')) report('must be a valid, non-liquid flow sid', 'flow_sid');
  const revision = props.flow_revision;
  if (revision === undefined || (typeof revision === 'string' && REVISION_SELECTORS.includes(revision))) return;
  if (!/^[1-9][0-9]*$/.test(String(revision))) report('must be LatestPublished, LatestRevision or a revision number', 'flow_revision');
}

/** Seconds stored as a number or a numeric string; Liquid is checked once rendered. */
function checkSeconds(value: NumberLike | undefined, report: Report, key: string): void {
  if (value === undefined || (typeof value === 'string' && isLiquid(value))) return;
  if (!/^[0-9]+$/.test(String(value).trim()) || Number(value) <= 0) report('must be a whole number of seconds greater than 0', key);
}

function checkInteger(value: NumberLike | undefined, report: Report, key: string): void {
  if (value === undefined || (typeof value === 'string' && isLiquid(value))) return;
  if (!/^-?[0-9]+$/.test(String(value).trim())) report('must be a whole number', key);
}
