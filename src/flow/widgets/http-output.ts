import type { Json, JsonObject } from '../context';
import type { KeyValue } from '../definition';
import type { HttpResponse } from '../effects';

/** How make-http-request (by default) and run-function send their parameters. */
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded;charset=utf-8';

/**
 * What make-http-request and run-function write: `status_code`, `content_type`, the raw `body`, and `parsed` when
 * the answer is a JSON object sent as `application/json` (Studio's HTTP Request and Run Function pages, "Response":
 * only application/json objects such as `{"foo":"bar"}` are parsed; an array, a string or a number stays in `body`,
 * which a flow can still read with Liquid). A transport failure (timeout, refused connection) writes only its `error`.
 * `legacyParsing` is for executions recorded before this rule (see HTTP_PARSING_PATCH): any JSON under any `json`
 * content type was parsed then, and their replays must see the same context.
 */
export function httpOutput(response: HttpResponse, legacyParsing = false): JsonObject {
  if (!response.ok) return { error: response.error };
  const output: JsonObject = { status_code: response.status_code, content_type: response.content_type, body: response.body };
  const parsed = legacyParsing ? parseLegacy(response) : parseJsonObject(response);
  if (parsed !== undefined) output.parsed = parsed;
  return output;
}

/** The media type without parameters, lower-cased: `application/json; charset=utf-8` → `application/json`. */
function mediaType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

function parseJsonObject(response: { content_type: string; body: string }): JsonObject | undefined {
  if (mediaType(response.content_type) !== 'application/json') return undefined;
  const value = tryParse(response.body);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

function parseLegacy(response: { content_type: string; body: string }): Json | undefined {
  return /json/i.test(response.content_type) ? tryParse(response.body) : undefined;
}

/** A body that claims JSON but is not stays available raw, without `parsed`. */
function tryParse(body: string): Json | undefined {
  try {
    return JSON.parse(body) as Json;
  } catch {
    return undefined;
  }
}

/** Renders `parameters` into ordered name/value pairs. */
export function renderParameters(parameters: readonly KeyValue[] | undefined, render: (t: string) => string): Array<[string, string]> {
  return (parameters ?? []).map((p) => [render(p.key), render(p.value)]);
}

/** An absolute http(s) URL, or undefined when the rendered text is not one. */
export function httpUrl(text: string): URL | undefined {
  try {
    const url = new URL(text.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
