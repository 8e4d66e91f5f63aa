import { ErrorCode } from '@app/contracts';

/** How a request identifies its caller (DESIGN §2): a Bearer JWT, or the seed-004 app / service headers. */
export type RequestCredentials =
  | { type: 'none' }
  | { type: 'bearer'; token: string }
  | { type: 'app' | 'service'; clientId: string; secret: string; token: string | null };

export class CredentialsError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

type Headers = Record<string, string | string[] | undefined>;

const MAX_HEADER_VALUE = 4096;

/** One header value, trimmed, without the straight or curly quotes the seed-004 examples wrap values in. */
function header(headers: Headers, name: string): string | null {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined) return null;
  const trimmed = value
    .trim()
    .replace(/^["'“”‘’]+|["'“”‘’]+$/g, '')
    .trim();
  if (trimmed.length > MAX_HEADER_VALUE) {
    // No token is that long: an over-long one is an invalid token like any other (4004).
    if (name === 'authorization' || name === 'accesstoken')
      throw new CredentialsError(ErrorCode.InvalidToken, 'TOKEN_INVALID', 'invalid token');
    throw new CredentialsError(ErrorCode.WrongCall, 'HEADER_TOO_LONG', `${name} is too long`);
  }
  return trimmed === '' ? null : trimmed;
}

/** `Bearer <t>`, a bare `<t>`, or the doubled `Bearer Bearer <t>` some legacy clients send. */
export function tokenOf(authorization: string | null): string | null {
  if (!authorization) return null;
  const token = authorization.replace(/^(bearer\s+)+/i, '').trim();
  return token === '' ? null : token;
}

/**
 * Reads the caller's credentials from the headers (names are case-insensitive; Node lowercases them).
 * `requestType` is optional on the platform API: without it a Bearer token (or `accessToken`) is used.
 */
export function readCredentials(headers: Headers): RequestCredentials {
  const requestType = header(headers, 'requesttype');
  const fromAuthorization = tokenOf(header(headers, 'authorization'));
  const fromAccessToken = tokenOf(header(headers, 'accesstoken'));
  if (fromAuthorization && fromAccessToken && fromAuthorization !== fromAccessToken) {
    throw new CredentialsError(
      ErrorCode.InvalidToken,
      'TOKEN_MISMATCH',
      'Authorization and accessToken differ',
    );
  }
  const token = fromAuthorization ?? fromAccessToken;
  if (requestType === null) return token ? { type: 'bearer', token } : { type: 'none' };

  const type = requestType.toLowerCase();
  if (type !== 'app' && type !== 'service') {
    throw new CredentialsError(ErrorCode.WrongCall, 'BAD_REQUEST_TYPE', 'requestType must be app or service');
  }
  const clientId = header(headers, type === 'app' ? 'appid' : 'serverid');
  const secret = header(headers, 'secretkey');
  if (!clientId || !secret) {
    throw new CredentialsError(
      ErrorCode.WrongCall,
      'APP_CREDENTIALS_MISSING',
      type === 'app' ? 'appID and secretKey are required' : 'serverID and secretKey are required',
    );
  }
  return { type, clientId, secret, token };
}
