import { widgetOutput } from '../context';
import type { MakeHttpRequestProperties } from '../definition';
import { FORM_CONTENT_TYPE, httpOutput, httpUrl, renderParameters } from './http-output';
import { done, effect, type WidgetHandler } from './widget-handler';
import { UnexpectedEffectResultError } from '../errors';

/**
 * make-http-request: GET puts `parameters` in the query string; POST sends them form-encoded, or the rendered
 * `body` when the content type is JSON (or anything else that is not a form). `success` on 2xx, else `failed`.
 */
export const makeHttpRequestWidget: WidgetHandler<MakeHttpRequestProperties> = {
  type: 'make-http-request',
  events: ['success', 'failed'],
  runnable: true,
  failureEvent: 'failed',
  writes: ['status_code', 'content_type', 'body', 'parsed', 'error'],
  enter({ widget, render }) {
    const props = widget.properties;
    const rendered = render(props.url);
    const url = httpUrl(rendered);
    if (!url) return done('failed', widgetOutput(widget.name, { error: `not an http(s) URL: ${JSON.stringify(rendered)}` }));
    const parameters = renderParameters(props.parameters, render);
    if (props.method === 'GET') {
      for (const [key, value] of parameters) url.searchParams.append(key, value);
      return effect({ kind: 'http', method: 'GET', url: url.toString(), headers: {}, twilioAuth: props.add_twilio_auth === true });
    }
    const contentType = props.content_type ? render(props.content_type) : FORM_CONTENT_TYPE;
    const isForm = contentType.toLowerCase().startsWith('application/x-www-form-urlencoded');
    const body = isForm ? new URLSearchParams(parameters).toString() : render(props.body ?? '');
    return effect({
      kind: 'http',
      method: 'POST',
      url: url.toString(),
      headers: { 'content-type': contentType },
      body,
      twilioAuth: props.add_twilio_auth === true,
    });
  },
  resume({ widget }, result) {
    if (result.kind !== 'http') throw new UnexpectedEffectResultError(widget.type, result.kind);
    const { response } = result;
    const succeeded = response.ok && response.status_code >= 200 && response.status_code < 300;
    return done(succeeded ? 'success' : 'failed', widgetOutput(widget.name, httpOutput(response, result.legacyParsing)));
  },
};
