import { invalidParameter } from './errors';
import { one, type Params } from './params';
import { isSid } from './sids';

/** Checks (and may convert) the value of the param called `name`; throws a 400 naming it when invalid. */
export type Check<T> = (value: string, name: string) => T;

/** At most `max` characters. */
export const maxLength =
  (max: number): Check<string> =>
  (value, name) => {
    if (value.length > max) throw invalidParameter(name, `must be at most ${max} characters`);
    return value;
  };

/** A SID with `prefix`: the prefix and 32 hex digits. */
export const sidOf =
  (prefix: string): Check<string> =>
  (value, name) => {
    if (!isSid(value, prefix)) throw invalidParameter(name, `must be a ${prefix} SID (${prefix} and 32 hex digits)`);
    return value;
  };

/** An integer of 0 or more. */
export const nonNegativeInteger: Check<number> = (value, name) => {
  if (!/^\d+$/.test(value)) throw invalidParameter(name, 'must be an integer of 0 or more');
  return Number(value);
};

/** An absolute http:// or https:// URL. */
export const httpUrl: Check<string> = (value, name) => {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw invalidParameter(name, 'must be an absolute http:// or https:// URL');
  }
  return value;
};

/** A JSON document, kept as the text it was sent as (Twilio stores `Attributes` as a string). */
export const jsonText: Check<string> = (value, name) => {
  try {
    JSON.parse(value);
  } catch {
    throw invalidParameter(name, 'must be valid JSON');
  }
  return value;
};

/** The param `name` passed through `check`, or null when it is absent. */
export function optionalParam<T>(params: Params, name: string, check: Check<T>): T | null {
  const value = one(params, name);
  return value === undefined ? null : check(value, name);
}
