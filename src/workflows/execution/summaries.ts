import type { FlowDefinition } from '../../flow/definition';
import type { CurrentWidget } from '../../flow/execution-state';

/**
 * One-line summaries the Temporal UI shows on activities, timers and child workflows, so an execution's timeline
 * reads like its flow: `ask_rating (send-and-wait-for-reply): send message into CH…`. They are user metadata, not
 * commands, so changing their wording never breaks the replay of a running execution.
 */
export function widgetLabel(definition: FlowDefinition, current: CurrentWidget): string {
  const type = definition.states.find((state) => state.name === current.widget)?.type;
  return type ? `${current.widget} (${type})` : current.widget;
}

/** `label: action`; the UI shows summaries on one line, so the whole is kept short. */
export function summary(label: string, action: string): string {
  const line = `${label}: ${action}`;
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** A URL without its query string and fragment (they may be long, or carry parameters best kept off the timeline). */
export function urlForSummary(url: string): string {
  return url.replace(/[?#].*$/, '');
}

/** Label of the work an execution does outside any widget (reading its flow, its cleanup). */
export const EXECUTION_LABEL = 'execution';
