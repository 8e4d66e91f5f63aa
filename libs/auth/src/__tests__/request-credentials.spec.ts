import { ErrorCode } from '@app/contracts';
import { CredentialsError, readCredentials, tokenOf } from '../credentials/request-credentials';

function failure(headers: Record<string, string>): [ErrorCode, string] | null {
  try {
    readCredentials(headers);
    return null;
  } catch (error) {
    if (error instanceof CredentialsError) return [error.code, error.reason];
    throw error;
  }
}

describe('readCredentials (Bearer and seed-004 headers)', () => {
  it('reads a Bearer token, a bare token and the doubled "Bearer Bearer" form', () => {
    expect(readCredentials({ authorization: 'Bearer abc' })).toEqual({ type: 'bearer', token: 'abc' });
    expect(readCredentials({ authorization: 'abc' })).toEqual({ type: 'bearer', token: 'abc' });
    expect(tokenOf('Bearer Bearer abc')).toBe('abc');
    expect(readCredentials({ accesstoken: 'abc' })).toEqual({ type: 'bearer', token: 'abc' });
    expect(readCredentials({})).toEqual({ type: 'none' });
  });

  it('reads app and service headers, case-insensitive requestType, curly quotes stripped', () => {
    expect(
      readCredentials({ requesttype: '“app”', appid: '"12345678"', secretkey: 's3cret', accesstoken: 't' }),
    ).toEqual({ type: 'app', clientId: '12345678', secret: 's3cret', token: 't' });
    expect(readCredentials({ requesttype: 'SERVICE', serverid: 'svc_1', secretkey: 'k' })).toEqual({
      type: 'service',
      clientId: 'svc_1',
      secret: 'k',
      token: null,
    });
  });

  it('refuses an unknown requestType (4000), missing app credentials (4000) and two different tokens (4004)', () => {
    expect(failure({ requesttype: 'browser' })).toEqual([ErrorCode.WrongCall, 'BAD_REQUEST_TYPE']);
    expect(failure({ requesttype: 'app', appid: 'x' })).toEqual([
      ErrorCode.WrongCall,
      'APP_CREDENTIALS_MISSING',
    ]);
    expect(failure({ requesttype: 'service', secretkey: 'x' })).toEqual([
      ErrorCode.WrongCall,
      'APP_CREDENTIALS_MISSING',
    ]);
    expect(failure({ authorization: 'Bearer a', accesstoken: 'b' })).toEqual([
      ErrorCode.InvalidToken,
      'TOKEN_MISMATCH',
    ]);
  });
});
