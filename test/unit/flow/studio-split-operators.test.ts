import { SPLIT_OPERATOR_TESTS, STUDIO_SPLIT_OPERATOR_TESTS } from '../../../src/flow/split-operators';

/**
 * [operator, input, value, Studio's answer] — Studio's split docs: "conditions are not case-sensitive and
 * automatically trim leading and trailing spaces". The first three inputs are issue 12's; the old tests got them wrong.
 */
const cases: Array<[keyof typeof STUDIO_SPLIT_OPERATOR_TESTS, string, string, boolean]> = [
  ['equal_to', 'Yes', 'yes', true],
  ['equal_to', ' YES ', 'yes', true],
  ['matches_any_of', 'CANCEL', 'stop, cancel', true],
  ['contains', 'I need HELP please', 'help', true],
  ['equal_to', 'yes', ' Yes ', true], // the value side is trimmed too
  ['equal_to', 'yes!', 'yes', false],
  ['not_equal_to', ' Yes', 'YES', false],
  ['not_equal_to', 'no', 'yes', true],
  ['matches_any_of', ' Stop ', 'STOP, Cancel', true],
  ['matches_any_of', 'quit', 'stop, cancel', false],
  ['does_not_match_any_of', 'Cancel', 'stop, CANCEL', false],
  ['does_not_match_any_of', 'quit', 'stop, cancel', true],
  ['contains', 'order', 'ORDER ', true],
  ['does_not_contain', 'I need HELP', 'help', false],
  ['does_not_contain', 'hello', 'bye', true],
  ['starts_with', '  STOP now', 'stop', true],
  ['starts_with', 'go now', 'stop', false],
  ['does_not_start_with', 'Stopped', 'STOP', false],
  ['does_not_start_with', 'go', 'STOP', true],
];

describe("split-based-on string operators under Studio's rules", () => {
  it.each(cases)('%s(%j, %j) is %s', (operator, input, value, expected) => {
    expect(STUDIO_SPLIT_OPERATOR_TESTS[operator](input, value)).toBe(expected);
  });

  it('the issue inputs took the other branch under the old rules (executions started before keep them)', () => {
    expect(SPLIT_OPERATOR_TESTS.equal_to('Yes', 'yes')).toBe(false);
    expect(SPLIT_OPERATOR_TESTS.equal_to(' YES ', 'yes')).toBe(false);
    expect(SPLIT_OPERATOR_TESTS.matches_any_of('CANCEL', 'stop, cancel')).toBe(false);
    expect(SPLIT_OPERATOR_TESTS.contains('I need HELP please', 'help')).toBe(false);
  });

  it('leaves the non-string operators as they were', () => {
    for (const op of ['is_blank', 'is_not_blank', 'regex', 'less_than', 'greater_than', 'is_before_date', 'is_after_date', 'is_before_time', 'is_after_time'] as const) {
      expect(STUDIO_SPLIT_OPERATOR_TESTS[op]).toBe(SPLIT_OPERATOR_TESTS[op]);
    }
  });
});
