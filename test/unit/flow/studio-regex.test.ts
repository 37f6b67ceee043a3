import { FlowLimitError } from '../../../src/flow/limits';
import { SPLIT_OPERATOR_TESTS } from '../../../src/flow/split-operators';
import { compileStudioRegex, MAX_INSTRUCTIONS } from '../../../src/flow/studio-regex';

const regex = SPLIT_OPERATOR_TESTS.regex;

describe("split-based-on's regex operator", () => {
  test('when a pattern backtracks exponentially in JavaScript, then the match still ends, in linear time, with the right answer', () => {
    // JavaScript's RegExp takes about 2^30 steps here; RE2 walks the input once.
    expect(regex(`${'a'.repeat(30)}!`, '(a+)+$')).toBe(false);
    expect(regex('a'.repeat(60_000), '(a+)+$')).toBe(true);
    expect(regex(`${'a'.repeat(60_000)}!`, '(a|aa)+$')).toBe(false);
  });

  test('when a pattern is in JavaScript syntax, then it means what it means in JavaScript (named groups, \\u escapes, \\/)', () => {
    expect(regex('2026-11', '(?<year>\\d{4})-\\d\\d')).toBe(true);
    expect(regex('CAFÉ', 'caf\\u00e9')).toBe(true);
    expect(regex('a/b', 'a\\/b')).toBe(true);
    expect(regex('YES', 'y(es)?|no')).toBe(true);
    expect(regex('yes please', 'y(es)?')).toBe(false);
  });

  test.each([
    ['a backreference', '(a)\\1'],
    ['a lookahead', '(?=a)a'],
    ['a negative lookahead', '(?!b)a'],
    ['a lookbehind', '(?<=a)b'],
    ['a pattern that is not a regex', '(unclosed'],
  ])('when the pattern has %s, RE2 cannot compile it: it is reported, and it never matches', (_, pattern) => {
    const compiled = compileStudioRegex(pattern);

    expect(compiled).toEqual({ ok: false, reason: expect.any(String), instructions: 0 });
    expect(regex('aa', pattern)).toBe(false);
    expect(regex('ab', pattern)).toBe(false);
  });

  test('when a pattern compiles to more than 5,000 instructions, then it is refused (it would cost input × program per match)', () => {
    const pattern = '(?:[a-z]{0,1000}b)'.repeat(6);

    const compiled = compileStudioRegex(pattern);

    expect(compiled).toEqual({ ok: false, reason: expect.stringMatching(/^the pattern is too complex \(\d+ instructions; at most 5000\)$/), instructions: expect.any(Number) });
    expect(compiled.instructions).toBeGreaterThan(MAX_INSTRUCTIONS);
    expect(regex('ab', pattern)).toBe(false);
  });

  test('when a large program meets a long input, then the match is charged to the widget, and stops it past its share of work', () => {
    const pattern = '(?:[a-z]{0,1000}b)+c'; // about a thousand instructions

    expect(regex('ab'.repeat(100), pattern)).toBe(false);
    expect(() => regex('a'.repeat(20_000), pattern)).toThrow(FlowLimitError);
  });
});
