import { invalidParameter } from './errors';

/** ISO-8601 without milliseconds, as Twilio's v1 APIs print dates: `2026-11-25T15:00:00Z`. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 2822 with a numeric zone, as Twilio's 2010 API prints dates: `Wed, 25 Nov 2026 15:00:00 +0000`. */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const UNIT_SECONDS = [604_800, 86_400, 3_600, 60, 1];

/**
 * Parses an ISO-8601 duration of weeks, days, hours, minutes and seconds (`PT10M`, `P1DT2H`) for param
 * `name`. Years and months are refused because their length in seconds is ambiguous.
 */
export function durationSeconds(name: string, value: string): number {
  const match = DURATION.exec(value);
  if (!match || value === 'P' || value.endsWith('T')) {
    throw invalidParameter(name, `'${value}' is not an ISO-8601 duration such as PT10M`);
  }
  return UNIT_SECONDS.reduce((total, unit, i) => total + unit * Number(match[i + 1] ?? 0), 0);
}
