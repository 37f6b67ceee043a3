import { widgetOutput } from '../context';
import type { RunFunctionProperties } from '../definition';
import { FORM_CONTENT_TYPE, httpOutput, httpUrl, renderParameters } from './http-output';
import { done, effect, type WidgetHandler } from './widget-handler';
import { UnexpectedEffectResultError } from '../errors';

/**
 * run-function: POSTs the rendered `parameters`, form-encoded, to the Function's URL. `success` on a 2xx or 3xx
 * answer within 10 s, otherwise `fail` (Studio's spelling). A widget with only a function SID and no URL fails.
 * Its answer is read as make-http-request's (httpOutput): Studio's Run Function page has the same "Response" table.
 */
export const runFunctionWidget: WidgetHandler<RunFunctionProperties> = {
  type: 'run-function',
  events: ['success', 'fail'],
  runnable: true,
  failureEvent: 'fail',
  writes: ['status_code', 'content_type', 'body', 'parsed', 'error'],
  enter({ widget, render }) {
    const rendered = render(widget.properties.url);
    const url = httpUrl(rendered);
    if (!url) return done('fail', widgetOutput(widget.name, { error: `run-function needs the Function's http(s) URL; got ${JSON.stringify(rendered)}` }));
    return effect({
      kind: 'http',
      method: 'POST',
      url: url.toString(),
      headers: { 'content-type': FORM_CONTENT_TYPE },
      body: new URLSearchParams(renderParameters(widget.properties.parameters, render)).toString(),
      twilioAuth: false,
    });
  },
  resume({ widget }, result) {
    if (result.kind !== 'http') throw new UnexpectedEffectResultError(widget.type, result.kind);
    const { response } = result;
    const succeeded = response.ok && response.status_code >= 200 && response.status_code < 400;
    return done(succeeded ? 'success' : 'fail', widgetOutput(widget.name, httpOutput(response, result.legacyParsing)));
  },
};
