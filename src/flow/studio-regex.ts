import { RE2JS } from 're2js';
import { chargeWork, startStandaloneWork } from './work-meter';

/** Work units (work-meter.ts) per input character: RE2 costs from a tenth of a template character (its DFA) to a few times one (its slowest path). */
const UNITS_PER_CHARACTER = 4;

/**
 * split-based-on's `regex` operator, matched in linear time. Backtracking engines (JavaScript's RegExp) take
 * exponential time on patterns such as `(a+)+$`, and a contact's reply alone could then stall a workflow activation
 * past Temporal's 5 s limit and crash the worker. RE2JS (a pure-JS port of RE2, no Node built-ins, so it bundles into
 * the workflow sandbox) guarantees time linear in the input.
 *
 * JavaScript syntax is translated first (named groups, `\u` escapes). Patterns RE2 cannot run in linear time
 * (backreferences, lookahead, lookbehind) do not compile: validation reports them on the condition, and at run time
 * such a condition never matches, as any pattern that is not a regex.
 */
export type CompiledRegex = { readonly ok: true; matches(input: string): boolean } | { readonly ok: false; readonly reason: string };

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

function compile(pattern: string): CompiledRegex {
  try {
    const regex = RE2JS.compile(RE2JS.translateRegExp(pattern), RE2JS.CASE_INSENSITIVE);
    return {
      ok: true,
      matches(input) {
        startStandaloneWork();
        chargeWork((input.length + 1) * UNITS_PER_CHARACTER);
        return regex.testExact(input);
      },
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, reason: message.replace(/^error parsing regexp: /, '') };
  }
}
