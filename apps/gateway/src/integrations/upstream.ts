import { ErrorCode } from '@app/contracts';
import { AppException } from '@app/common';

/** An outside system (ERP, DingTalk) failed or refused: 5005 with what it said, never a 500. */
export function upstreamFailure(system: string, detail: string): AppException {
  return new AppException(
    ErrorCode.UpstreamFailure,
    'UPSTREAM_FAILURE',
    `${system}: ${detail}`.slice(0, 500),
  );
}

/** POSTs / GETs JSON with a timeout; transport errors and non-2xx answers become upstreamFailure. */
export async function fetchJson(
  system: string,
  url: string,
  init: { method: 'GET' | 'POST'; body?: unknown; headers?: Record<string, string>; timeoutMs: number },
): Promise<{ body: unknown; headers: Headers }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method,
      headers: { accept: 'application/json', 'content-type': 'application/json', ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(init.timeoutMs),
    });
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'unreachable';
    throw upstreamFailure(system, `${reason} (${new URL(url).host})`);
  }
  const text = await response.text();
  if (!response.ok) throw upstreamFailure(system, `HTTP ${response.status} ${text.slice(0, 200)}`.trim());
  try {
    return { body: text === '' ? null : (JSON.parse(text) as unknown), headers: response.headers };
  } catch {
    throw upstreamFailure(system, `answered something that is not JSON: ${text.slice(0, 120)}`);
  }
}
