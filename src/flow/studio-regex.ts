import { RE2JS } from 're2js';
import { chargeWork, startStandaloneWork } from './work-meter';

/**
 * split-based-on's `regex` operator, matched in linear time. Backtracking engines (JavaScript's RegExp) take
 * exponential time on patterns such as `(a+)+$`, and a contact's reply alone could then stall a workflow activation
 * past Temporal's 5 s limit and crash the worker. RE2JS (a pure-JS port of RE2, no Node built-ins, so it bundles into
 * the workflow sandbox) guarantees time linear in the input.
 *
 * Linear is not enough on its own: RE2's slowest path costs the input's length times the program's size, and
 * `[a-z]{1000}` alone is a thousand instructions. So a program has at most {@link MAX_INSTRUCTIONS} instructions,
 * and each match (and compile) is charged to the widget's work (work-meter.ts) by that product; measured worst case,
 * about 8 ns per character and instruction in plain Node.
 *
 * JavaScript syntax is translated first (named groups, `\u` escapes). Patterns RE2 cannot run in linear time
 * (backreferences, lookahead, lookbehind), and programs past the size limit, do not compile: validation reports them
 * on the condition, and at run time such a condition never matches, as any pattern that is not a regex.
 */
export type CompiledRegex = ({ readonly ok: true; matches(input: string): boolean } | { readonly ok: false; readonly reason: string }) & {
  /** The program's size: what compiling cost, charged on every use (cached or not, so that replays count alike). */
  readonly instructions: number;
};

/** Instructions one pattern may compile to: room for any sensible split, a bound on what one match costs. */
export const MAX_INSTRUCTIONS = 5_000;
/** Character × instruction steps per work unit (a unit is ~0.2 µs, a step ~8 ns at worst). */
const STEPS_PER_UNIT = 20;
/** Work units per compiled instruction (compiling costs ~1.2 µs an instruction). */
const UNITS_PER_INSTRUCTION = 6;
/** Longer patterns are refused before compiling: compile time grows with the pattern. */
const MAX_PATTERN_LENGTH = 1_000;

const compiled = new Map<string, CompiledRegex>();
const COMPILED_PATTERNS = 500;

/** Compiles `pattern` as Studio's split uses it: case-insensitive, matched against the whole input. Cached per pattern. */
export function compileStudioRegex(pattern: string): CompiledRegex {
  const cached = compiled.get(pattern);
  if (cached) return cached;
  const result = compile(pattern);
  if (compiled.size >= COMPILED_PATTERNS) compiled.delete(compiled.keys().next().value!);
  compiled.set(pattern, result);
  return result;
}

/**
 * Whether `input` matches `pattern` as a whole, charging the compile and the match to the widget's work. A pattern
 * that does not compile matches nothing.
 */
export function matchesWhole(input: string, pattern: string): boolean {
  const regex = compileStudioRegex(pattern);
  startStandaloneWork();
  chargeWork(regex.instructions * UNITS_PER_INSTRUCTION);
  return regex.ok && regex.matches(input);
}

function compile(pattern: string): CompiledRegex {
  if (pattern.length > MAX_PATTERN_LENGTH) return refused(`the pattern is longer than ${MAX_PATTERN_LENGTH} characters`, 0);
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(RE2JS.translateRegExp(pattern), RE2JS.CASE_INSENSITIVE);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return refused(message.replace(/^error parsing regexp: /, ''), 0);
  }
  const instructions = Number(regex.re2().numberOfInstructions());
  if (instructions > MAX_INSTRUCTIONS) return refused(`the pattern is too complex (${instructions} instructions; at most ${MAX_INSTRUCTIONS})`, instructions);
  const matches = (input: string): boolean => {
    chargeWork(((input.length + 1) * instructions) / STEPS_PER_UNIT);
    return regex.testExact(input);
  };
  return { ok: true, matches, instructions };
}

function refused(reason: string, instructions: number): CompiledRegex {
  return { ok: false, reason, instructions };
}
