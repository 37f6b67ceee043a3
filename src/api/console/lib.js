// Shared by every page of the console: the JSX-like template tag, and calls to the API (same origin, same Basic auth).
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import htm from 'htm';

/** Preact elements from tagged templates; every interpolated value is rendered as text, never as markup. */
export const html = htm.bind(h);

/** The Studio v2 API's error body ({code, message}) as an Error. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? `${body.message} (${body.code ?? status})` : `HTTP ${status}`);
    this.status = status;
  }
}

/** GET or POST against the API; a form object becomes a form-encoded body, as Twilio's API takes. */
export async function call(path, { method = 'GET', form, headers = {} } = {}) {
  const init = { method, headers: { ...headers }, credentials: 'same-origin' };
  if (form) {
    init.body = new URLSearchParams(Object.entries(form).filter(([, v]) => v !== undefined && v !== ''));
    init.headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let body;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (a proxy's error page, say): the status says what went wrong.
    if (response.ok) throw new ApiError(response.status, { message: `unreadable answer from ${path}` });
  }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

/** A path with its query; empty values are left out. */
export function withQuery(path, query) {
  const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== ''));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * Loads `load()` when `deps` change; with `everyMs`, again that long after each answer while `keepPolling(data)` says so
 * (an active execution). Returns { data, error }.
 */
export function useLoad(load, deps, { everyMs, keepPolling } = {}) {
  const [state, setState] = useState({ data: undefined, error: undefined });
  useEffect(() => {
    let stopped = false;
    let timer;
    const run = async () => {
      let data;
      try {
        data = await load();
        if (!stopped) setState({ data, error: undefined });
      } catch (error) {
        if (!stopped) setState((old) => ({ data: old.data, error }));
      }
      if (!stopped && everyMs && (!keepPolling || data === undefined || keepPolling(data))) timer = setTimeout(run, everyMs);
    };
    setState({ data: undefined, error: undefined });
    run();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, deps);
  return state;
}

/** Pretty JSON as text (rendered in a <pre>, never as markup). */
export const json = (value) => JSON.stringify(value, null, 2);

/** An error line, or nothing. */
export function ErrorLine({ error }) {
  return error ? html`<p class="error" role="alert">${error.message}</p>` : null;
}
