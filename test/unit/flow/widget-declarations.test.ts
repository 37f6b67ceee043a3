import { WIDGET_DECLARATIONS, WIDGET_HANDLERS } from '../../../src/flow/widgets/registry';

/** Each widget's facts live in its own file; the tables derived from them are only as good as the declarations. */
describe('the widget declarations', () => {
  test('declare each Studio type once', () => {
    const types = WIDGET_DECLARATIONS.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
  });

  const withFailureEvent = WIDGET_DECLARATIONS.filter((d) => d.failureEvent !== undefined).map((d) => [d.type, d] as const);
  test.each(withFailureEvent)('%s: its failure event is one of its events, and it writes the error', (_type, declaration) => {
    expect(declaration.events).toContain(declaration.failureEvent);
    expect(declaration.writes).toContain('error');
  });

  test('every runnable type but the trigger has a handler, and no other type has one', () => {
    const runnable = WIDGET_DECLARATIONS.filter((d) => d.runnable && d.type !== 'trigger').map((d) => d.type);
    expect([...WIDGET_HANDLERS.keys()].sort()).toEqual(runnable.sort());
  });
});
