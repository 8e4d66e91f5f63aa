// Where the console lives and what the gateway told it when serving index.html.

// Outside a browser (unit tests in node) `location` stands in for the document.
function baseURI(): string {
  return globalThis.document?.baseURI ?? globalThis.location?.href ?? 'http://localhost/console/';
}

/** Path the browser reaches the console under (from <base href>), e.g. `/console/`. */
export function consoleBasePath(): string {
  return new URL(baseURI()).pathname;
}

/** The API sits beside the console: base `/x/console/` → `/x` + `/api/v1/...`. */
export function apiBaseUrl(): string {
  return new URL('..', baseURI()).href.replace(/\/$/, '');
}

/** The business time zone (TZ_BUSINESS) dates are shown and entered in. */
export function businessTimeZone(): string {
  return (
    globalThis.document?.querySelector('meta[name="flowdesk-time-zone"]')?.getAttribute('content') ||
    'Asia/Shanghai'
  );
}
