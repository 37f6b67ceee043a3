import type { Json, JsonObject } from './context';

/** The JSON object `text` holds, or undefined when it is not JSON or not an object (an array, a string, …). */
export function parseJsonObject(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

/** `text` parsed as JSON, or `text` itself when it is not JSON (Studio's `parse_as_json`). */
export function parseJsonOr(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

/** A comma-separated list: items trimmed, empty ones dropped. */
export function commaList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
