import { httpOutput } from '../../../src/flow/widgets/http-output';

const answer = (content_type: string, body: string, status_code = 200) => ({ ok: true as const, status_code, content_type, body });

/** Studio's HTTP Request and Run Function pages ("Response"): only application/json objects are parsed. */
describe('httpOutput: what make-http-request and run-function write', () => {
  test.each([
    ['application/json', '{"a": 1}'],
    ['application/json; charset=utf-8', '{"a": 1}'],
    ['Application/JSON;charset=UTF-8', '{"a": 1}'],
  ])('when a JSON object comes as %s, then it is parsed', (type, body) => {
    expect(httpOutput(answer(type, body))).toEqual({ status_code: 200, content_type: type, body, parsed: { a: 1 } });
  });

  test.each([
    ['a top-level array', 'application/json', '[1, 2]'],
    ['a string', 'application/json', '"yes"'],
    ['a number', 'application/json', '42'],
    ['null', 'application/json', 'null'],
    ['a body that is not JSON', 'application/json', '{oops'],
    ['an object under another json type', 'application/problem+json', '{"a": 1}'],
    ['an object as text', 'text/plain', '{"a": 1}'],
  ])('when the answer is %s, then it stays in body only', (_what, type, body) => {
    const output = httpOutput(answer(type, body));
    expect(output).toEqual({ status_code: 200, content_type: type, body });
  });

  test('when a 204 comes without a content type, then status_code 204 and an empty body', () => {
    expect(httpOutput(answer('', '', 204))).toEqual({ status_code: 204, content_type: '', body: '' });
  });

  test('when the request failed in transport, then only its error is written', () => {
    expect(httpOutput({ ok: false, error: 'no response within 10 s' })).toEqual({ error: 'no response within 10 s' });
  });

  test('when the execution predates the rule (legacy parsing), then any JSON under a json type is parsed, as it was', () => {
    expect(httpOutput(answer('application/json', '[1, 2]'), true).parsed).toEqual([1, 2]);
    expect(httpOutput(answer('application/problem+json', '{"a": 1}'), true).parsed).toEqual({ a: 1 });
    expect(httpOutput(answer('text/plain', '{"a": 1}'), true).parsed).toBeUndefined();
  });
});
