import { ApiError } from '../../../src/api/api-error';
import { PageTokens } from '../../../src/api/page-tokens';

describe('PageTokens', () => {
  const tokens = new PageTokens('auth token');
  const temporalToken = Buffer.from('{"StartTime":"2026-01-01T00:00:00Z","RunID":"r"}').toString('base64url');

  test('when a token is sealed for a list, then the same deployment opens it for that list only', () => {
    const sealed = tokens.seal('/v2/Flows', temporalToken);

    expect(new PageTokens('auth token').open('/v2/Flows', sealed)).toBe(temporalToken);
    expect(() => tokens.open('/v2/Flows/FW0/Executions', sealed)).toThrow(ApiError);
    expect(() => new PageTokens('another token').open('/v2/Flows', sealed)).toThrow(ApiError);
  });

  test.each(['abc', '.', 'abc.', `${temporalToken}.AAAAAAAAAAAAAAAAAAAAAA`, `x${'.'.repeat(3)}`])('when the token is %s, then it is a 400', (given) => {
    expect(() => tokens.open('/v2/Flows', given)).toThrow(expect.objectContaining({ status: 400, code: 20001 }));
  });
});
