/**
 * Size limits on what flow code may produce, all well below Temporal's payload limits (temporal-notes §8.1: a blob
 * warns at 256 KB and fails at 2 MB, a gRPC message at 4 MB). Studio documents no size limits (its FAQ lists
 * steps, lifetime, repeats, loop iterations and HTTP time only), so these are this product's own, chosen so that
 * the largest payload an execution can make stays under 2 MB with room to spare:
 *
 * - continue-as-new carries the context twice (current and run base), the step list and the definition:
 *   2 × 256 KiB + 1,000 steps × ~250 B + a definition of at most 1,000,000 characters (the flow API's limit)
 *   ≈ 1.75 MiB at the very worst, and checked before it is sent (run.ts, continueAsNewWith);
 * - a query answer holds the context, or a page of this run's steps with what they wrote, which continue-as-new
 *   keeps under {@link STATE_BYTES_BEFORE_CONTINUE} plus one workflow task's writes (work-meter.ts: 256 KiB, plus
 *   the last step's 192 KiB);
 * - an activity's input is one effect, at most {@link MAX_EFFECT_BYTES}.
 *
 * Sizes are UTF-8 bytes of the JSON text, as Temporal's JSON payload converter writes it.
 */

import { FlowError } from './errors';

/** One rendered Liquid value (a property, a set-variables value): 64 KiB, as much as an HTTP response body keeps. */
export const MAX_RENDERED_BYTES = 64 * 1024;
/**
 * Everything one step writes into the context (a widget's output, its flow variables): room for the largest HTTP
 * response kept (64 KiB, activities/http) both as `body`, escaped as JSON, and as `parsed`.
 */
export const MAX_STEP_WRITE_BYTES = 192 * 1024;
/** The whole execution context. */
export const MAX_CONTEXT_BYTES = 256 * 1024;
/** What one effect sends to an activity or a subflow (URL, headers, body, parameters, message). */
export const MAX_EFFECT_BYTES = 128 * 1024;
/** What this run's steps wrote (their changes) past which the execution continues-as-new at its next widget. */
export const STATE_BYTES_BEFORE_CONTINUE = 512 * 1024;
/** The most continue-as-new may carry: under Temporal's 2 MB payload error, with room for the rest of the input. */
export const MAX_CONTINUE_BYTES = 1_900_000;

/** UTF-8 length of `text` without encoding it (no TextEncoder needed, so it runs anywhere). */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4; // a surrogate pair is one 4-byte character
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** UTF-8 size of `value` as JSON; undefined counts as nothing. */
export function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value);
  return text === undefined ? 0 : utf8Bytes(text);
}

/**
 * jsonBytes of a record of objects (an execution's changes by step), from the sizes of its entries: each value is
 * measured once and remembered by identity in `sizes`, so a record that grows by a step at a time costs that step to
 * measure, not the whole record again (up to 512 KiB at every widget). Equal to jsonBytes(record), as long as the
 * values are not changed in place (the execution state never is); entries whose value is undefined are left out, as
 * JSON.stringify leaves them out.
 */
export function recordJsonBytes(record: Readonly<Record<string, object | undefined>>, sizes: WeakMap<object, number>): number {
  let bytes = 2; // the braces
  let entries = 0;
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) continue;
    let size = sizes.get(value);
    if (size === undefined) {
      size = jsonBytes(value);
      sizes.set(value, size);
    }
    bytes += utf8Bytes(JSON.stringify(key)) + 1 + size; // "key":value
    entries++;
  }
  return bytes + Math.max(0, entries - 1); // the commas between entries
}

/** `1.5 MiB`, `300 KiB`, `12 B`: sizes in messages a flow author reads. */
export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} B`;
}

/** A value flow code produced is too large to keep; the widget fails (or the execution ends) with this message. */
export class FlowLimitError extends FlowError {
  constructor(message: string) {
    super(message);
    this.name = 'FlowLimitError';
  }
}
