import type { JsonObject } from '../context';
import type { KeyValue } from '../definition';
import type { HttpResponse } from '../effects';

/** How make-http-request (by default) and run-function send their parameters. */
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded;charset=utf-8';

/**
 * What make-http-request and run-function write: `status_code`, `content_type`, the raw `body`, and `parsed` when
 * the answer is JSON. A transport failure (timeout, refused connection) writes only its `error`.
 */
export function httpOutput(response: HttpResponse): JsonObject {
  if (!response.ok) return { error: response.error };
  const output: JsonObject = { status_code: response.status_code, content_type: response.content_type, body: response.body };
  if (/json/i.test(response.content_type)) {
    try {
      output.parsed = JSON.parse(response.body);
    } catch {
      // A body that claims JSON but is not stays available raw, without `parsed`.
    }
  }
  return output;
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
