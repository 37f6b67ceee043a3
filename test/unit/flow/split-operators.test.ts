import { SPLIT_OPERATORS } from '../../../src/flow/definition';
import { SPLIT_OPERATOR_TESTS } from '../../../src/flow/split-operators';

/** [operator, input, value, expected] — each operator's matches and non-matches, with DESIGN.md §5's decisions. */
const cases: Array<[string, string, string, boolean]> = [
  ['equal_to', 'Yes', 'Yes', true],
  ['equal_to', 'yes', 'Yes', false], // case-sensitive
  ['not_equal_to', 'yes', 'Yes', true],
  ['not_equal_to', 'Yes', 'Yes', false],
  ['matches_any_of', 'Start', 'START, Start, start,', true], // trimmed, trailing empty dropped
  ['matches_any_of', '', 'a,,b', false], // empties dropped, so blank never matches
  ['matches_any_of', 'START ', 'START', false],
  ['does_not_match_any_of', 'stop', 'yes, no', true],
  ['does_not_match_any_of', 'no', 'yes, no', false],
  ['contains', 'order 1001 please', '1001', true],
  ['contains', 'Order', 'order', false],
  ['does_not_contain', 'hello', 'x', true],
  ['does_not_contain', 'hello', 'ell', false],
  ['starts_with', 'STOP now', 'STOP', true],
  ['starts_with', 'stop now', 'STOP', false],
  ['does_not_start_with', 'go', 'STOP', true],
  ['does_not_start_with', 'STOPPED', 'STOP', false],
  ['is_blank', '   ', 'Is Blank', true],
  ['is_blank', 'x', 'Is Blank', false],
  ['is_not_blank', 'x', 'Is Not Blank', true],
  ['is_not_blank', '\t', 'Is Not Blank', false],
  ['regex', 'YES', 'y(es)?', true], // case-insensitive
  ['regex', 'yes please', 'y(es)?', false], // whole input
  ['regex', 'anything', '(unclosed', false], // not a regex: never matches
  ['less_than', '9', '10', true], // numbers, not strings
  ['less_than', 'ten', '10', false],
  ['less_than', '', '10', false],
  ['greater_than', '70.5', '70', true],
  ['greater_than', '1e3', '999', true],
  ['greater_than', '70', '70', false],
  ['is_before_date', '2026-02-28', '2026-03-01', true],
  ['is_before_date', '2026-02-30', '2026-03-01', false], // not a calendar date
  ['is_after_date', '2027-01-01', '2026-12-31', true],
  ['is_after_date', '01/01/2027', '2026-12-31', false],
  ['is_before_time', '09:05', '17:00', true],
  ['is_before_time', '9:05', '09:04', false],
  ['is_before_time', '25:00', '23:00', false],
  ['is_after_time', '18:00', '17:59', true],
  ['is_after_time', 'noon', '11:00', false],
];

describe('split-based-on operators', () => {
  test('every one of the 17 Studio operators has a test here', () => {
    expect(SPLIT_OPERATORS).toHaveLength(17);
    expect(new Set(cases.map(([op]) => op))).toEqual(new Set(SPLIT_OPERATORS));
  });

  test.each(cases)('%s: input %j against %j is %s', (operator, input, value, expected) => {
    expect(SPLIT_OPERATOR_TESTS[operator as keyof typeof SPLIT_OPERATOR_TESTS](input, value)).toBe(expected);
  });
});
