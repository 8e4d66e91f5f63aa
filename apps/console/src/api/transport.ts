// The fetch every API call goes through: bearer token, language, one refresh-and-retry on 401, and the
// service banner on 503 (5003 database / 5004 workflow unavailable).

export interface TransportHooks {
  accessToken(): string | null;
  /** Single-flight refresh; true when a new access token is in place. */
  refresh(): Promise<boolean>;
  signedOut(): void;
  language(): string;
  /** A 503's code (5004, 5003, …), or null with the path of an answer that came through. */
  serviceStatus(code: number | null, path: string): void;
}

let hooks: TransportHooks | null = null;

export function installTransportHooks(next: TransportHooks | null): void {
  hooks = next;
}

const NO_REFRESH = /\/api\/v1\/auth\/(login|refresh)$/;

async function send(request: Request): Promise<Response> {
  const token = hooks?.accessToken();
  if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
  if (hooks) request.headers.set('accept-language', hooks.language());
  const response = await fetch(request);
  if (response.status === 503) {
    const body = (await response
      .clone()
      .json()
      .catch(() => null)) as { code?: number } | null;
    hooks?.serviceStatus(typeof body?.code === 'number' ? body.code : 503, new URL(request.url).pathname);
  } else if (response.status < 500) {
    hooks?.serviceStatus(null, new URL(request.url).pathname);
  }
  return response;
}

export async function sessionFetch(request: Request): Promise<Response> {
  const retry = request.clone();
  const response = await send(request);
  if (response.status !== 401 || !hooks || NO_REFRESH.test(new URL(request.url).pathname)) return response;
  if (await hooks.refresh()) {
    retry.headers.delete('authorization');
    const again = await send(retry);
    if (again.status !== 401) return again;
  }
  hooks.signedOut();
  return response;
}
