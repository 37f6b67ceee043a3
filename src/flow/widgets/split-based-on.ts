import type { SplitBasedOnProperties, SplitCondition } from '../definition';
import { SPLIT_OPERATOR_TESTS, STUDIO_SPLIT_OPERATOR_TESTS } from '../split-operators';
import { done, type WidgetHandler, type WidgetRun } from './widget-handler';

/**
 * split-based-on: `match` transitions are tried in array order and the first whose conditions all hold wins;
 * otherwise `noMatch`. Each condition tests its own rendered argument (Studio copies `input` there), falling back
 * to the widget's `input`; its `value` is rendered too.
 */
export const splitBasedOnWidget: WidgetHandler<SplitBasedOnProperties> = {
  type: 'split-based-on',
  events: ['match', 'noMatch'],
  runnable: true,
  writes: [],
  enter(run) {
    const input = run.render(run.widget.properties.input);
    const index = run.widget.transitions.findIndex(
      (t) => t.event === 'match' && (t.conditions ?? []).length > 0 && t.conditions!.every((c) => holds(run, c, input)),
    );
    // The transition's index tells the interpreter which `match` fired when several exist.
    return index === -1 ? done('noMatch') : { kind: 'done', outcome: { event: 'match', changes: [], transitionIndex: index } };
  },
};

function holds(run: WidgetRun, condition: SplitCondition, input: string): boolean {
  const argument = condition.arguments[0];
  const subject = argument === undefined ? input : run.render(argument);
  // Executions started under Studio's rules compare strings as Studio does; older ones replay with the old tests.
  const tests = run.studio ? STUDIO_SPLIT_OPERATOR_TESTS : SPLIT_OPERATOR_TESTS;
  return tests[condition.type](subject, run.render(condition.value));
}
