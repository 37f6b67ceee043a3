import { type ContextChange, type JsonObject, widgetOutput } from '../context';
import type { RunSubflowProperties } from '../definition';
import type { EffectFailure } from '../effects';
import { parseJsonOr } from '../parse-text';
import { done, effect, type WidgetHandler, type WidgetRun } from './widget-handler';
import { UnexpectedEffectResultError } from '../errors';

/** Studio's subflow error: the subflow is missing, or a subflow tried to run one. */
export const SUBFLOW_ERROR = 81024;

/**
 * run-subflow: runs another flow's pinned revision as a child execution. Its rendered `parameters` (each parsed as
 * JSON when asked) become the child's `trigger.parent.parameters`; the child's `flow.variables` come back as
 * `widgets.<name>.<key>`, and a conversation it started (or handed off) becomes this execution's `flow.channel`. `completed` or
 * `failed` (81024 when the subflow cannot be found, or when a subflow runs another).
 */
export const runSubflowWidget: WidgetHandler<RunSubflowProperties> = {
  type: 'run-subflow',
  events: ['completed', 'failed'],
  runnable: true,
  failureEvent: 'failed',
  writes: ['*', 'error'],
  enter(run) {
    if (run.context.trigger.parent) return failed(run, { code: SUBFLOW_ERROR, message: 'a subflow cannot run another subflow' });
    const revision = run.widget.properties.flow_revision;
    return effect({
      kind: 'runSubflow',
      flowSid: run.widget.properties.flow_sid,
      revision: revision === undefined || revision === 'LatestPublished' || revision === 'LatestRevision' ? (revision ?? 'LatestPublished') : Number(revision),
      parameters: renderParameters(run),
      stepSid: run.runId,
    });
  },
  resume(run, result) {
    if (result.kind === 'subflowFailed') return failed(run, result.error);
    if (result.kind !== 'subflowCompleted') throw new UnexpectedEffectResultError(run.widget.type, result.kind);
    const { child } = result;
    const output: JsonObject = child.error ? { ...child.variables, error: child.error } : child.variables;
    const changes: ContextChange[] = [widgetOutput(run.widget.name, output)];
    // The child's channel is the parent's from now on when it started one, and when it changed the one it was lent
    // (a send-to-flex in the child hands the conversation off for both).
    const own = run.context.flow.channel;
    if (child.channel.sid && (child.channel.sid !== own.sid || child.channel.status !== own.status)) {
      changes.push({ path: ['flow', 'channel'], value: child.channel as unknown as JsonObject });
    }
    const steps = child.steps.map((step) => ({ ...step, parent_step_sid: run.runId, child_execution: child.workflowId }));
    return { kind: 'done', outcome: { event: child.error ? 'failed' : 'completed', changes, stepsBefore: steps } };
  },
};

function renderParameters(run: WidgetRun<RunSubflowProperties>): JsonObject {
  const parameters: JsonObject = {};
  for (const { key, value, parse_as_json } of run.widget.properties.parameters ?? []) {
    const rendered = run.render(value);
    parameters[run.render(key)] = parse_as_json ? parseJsonOr(rendered) : rendered;
  }
  return parameters;
}

function failed(run: WidgetRun, error: EffectFailure) {
  return done('failed', widgetOutput(run.widget.name, { error: { code: error.code ?? SUBFLOW_ERROR, message: error.message } }));
}
