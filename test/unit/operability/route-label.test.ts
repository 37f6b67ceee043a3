import { routeLabel, sidsIn } from '../../../src/api/middleware/request-telemetry';

const FW = `FW${'a'.repeat(32)}`;
const FN = `FN${'b'.repeat(32)}`;
const FT = `FT${'c'.repeat(32)}`;

describe('metric route labels', () => {
  test.each([
    ['/v2/Flows', '/v2/Flows'],
    [`/v2/Flows/${FW}`, '/v2/Flows/{FW}'],
    [`/v2/Flows/${FW}/Revisions/12`, '/v2/Flows/{FW}/Revisions/{n}'],
    [`/v2/Flows/${FW}/Revisions/LatestPublished`, '/v2/Flows/{FW}/Revisions/LatestPublished'],
    [`/v2/Flows/${FW}/Executions/${FN}/Steps/${FT}/Context`, '/v2/Flows/{FW}/Executions/{FN}/Steps/{FT}/Context'],
    [`/webhooks/conversations/${FN}`, '/webhooks/conversations/{FN}'],
    [`/webhooks/conversations/${FN}/CH${'c'.repeat(32)}`, '/webhooks/conversations/{FN}/{CH}'],
  ])('%s is labelled %s', (path, label) => {
    expect(routeLabel(path, true)).toBe(label);
  });

  test('a path no route serves is labelled unmatched, so scanners cannot grow the label set', () => {
    expect(routeLabel('/wp-admin/setup.php', false)).toBe('unmatched');
  });
});

describe('SIDs in a request path, for log lines', () => {
  test('an execution path names both its flow and its execution; a webhook path its execution', () => {
    expect(sidsIn(`/v2/Flows/${FW}/Executions/${FN}/Steps/${FT}`)).toEqual({ flowSid: FW, executionSid: FN });
    expect(sidsIn(`/webhooks/conversations/${FN}`)).toEqual({ executionSid: FN });
    expect(sidsIn('/v2/Flows')).toEqual({});
  });
});
