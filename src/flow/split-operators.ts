import type { SplitOperator } from './definition';
import { commaList } from './parse-text';
import { matchesWhole } from './studio-regex';

/**
 * The 17 split-based-on operators as executions started before Studio's comparison rules ran them (no `studio` in
 * their state; kept so their histories replay): string comparisons are case-sensitive and untrimmed. Lists are split
 * on commas, trimmed, empties dropped; `regex` is a case-insensitive regex (JavaScript syntax) matched against the
 * whole input in linear time (studio-regex.ts); numbers compare only when both sides are numbers; dates
 * (`YYYY-MM-DD`) and times (24-hour `HH:MM`) compare in UTC, and a side that is not one never matches.
 */
export const SPLIT_OPERATOR_TESTS: Readonly<Record<SplitOperator, (input: string, value: string) => boolean>> = {
  equal_to: (input, value) => input === value,
  not_equal_to: (input, value) => input !== value,
  matches_any_of: (input, value) => commaList(value).includes(input),
  does_not_match_any_of: (input, value) => !commaList(value).includes(input),
  contains: (input, value) => input.includes(value),
  does_not_contain: (input, value) => !input.includes(value),
  starts_with: (input, value) => input.startsWith(value),
  does_not_start_with: (input, value) => !input.startsWith(value),
  is_blank: (input) => input.trim() === '',
  is_not_blank: (input) => input.trim() !== '',
  regex: (input, value) => matchesWhole(input, value),
  less_than: (input, value) => compare(number(input), number(value), (a, b) => a < b),
  greater_than: (input, value) => compare(number(input), number(value), (a, b) => a > b),
  is_before_date: (input, value) => compare(date(input), date(value), (a, b) => a < b),
  is_after_date: (input, value) => compare(date(input), date(value), (a, b) => a > b),
  is_before_time: (input, value) => compare(time(input), time(value), (a, b) => a < b),
  is_after_time: (input, value) => compare(time(input), time(value), (a, b) => a > b),
};

/**
 * The operators as Studio runs them (executions with StudioRules): Studio's Split Based On documentation says
 * "conditions are not case-sensitive and automatically trim leading and trailing spaces", so every string operator
 * (equal_to, not_equal_to, matches_any_of / does_not_match_any_of and each list entry, contains, does_not_contain,
 * starts_with, does_not_start_with) compares both sides trimmed and lower-cased. The other operators are unchanged:
 * blank tests already trim, regex already ignores case, and numbers, dates and times already trim.
 */
export const STUDIO_SPLIT_OPERATOR_TESTS: Readonly<Record<SplitOperator, (input: string, value: string) => boolean>> = {
  ...SPLIT_OPERATOR_TESTS,
  equal_to: (input, value) => folded(input) === folded(value),
  not_equal_to: (input, value) => folded(input) !== folded(value),
  matches_any_of: (input, value) => commaList(value).map(folded).includes(folded(input)),
  does_not_match_any_of: (input, value) => !commaList(value).map(folded).includes(folded(input)),
  contains: (input, value) => folded(input).includes(folded(value)),
  does_not_contain: (input, value) => !folded(input).includes(folded(value)),
  starts_with: (input, value) => folded(input).startsWith(folded(value)),
  does_not_start_with: (input, value) => !folded(input).startsWith(folded(value)),
};

/** A side as Studio compares it: without leading and trailing spaces, in lower case (locale-independent). */
function folded(text: string): string {
  return text.trim().toLowerCase();
}

function compare(a: number | undefined, b: number | undefined, test: (a: number, b: number) => boolean): boolean {
  return a !== undefined && b !== undefined && test(a, b);
}

function number(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** Days since the epoch for a valid `YYYY-MM-DD` calendar date. */
function date(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = Date.UTC(year, month - 1, day);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return utc / 86_400_000;
}

/** Minutes since midnight for a 24-hour `HH:MM`. */
function time(text: string): number | undefined {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}
