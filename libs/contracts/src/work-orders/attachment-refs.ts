import { isURL } from 'class-validator';

export const ATTACHMENT_URL_MAX_LENGTH = 2000;
/** How many addresses a work order holds. */
export const MAX_ATTACHMENT_URLS = 20;
/** The platform's own attachment reference: what `POST /attachments` answers as `url`. */
const OWN_ATTACHMENT = /^\/api\/v1\/attachments\/([1-9]\d{0,17})\/content$/;

/** The attachment id of a platform reference (`/api/v1/attachments/{id}/content`), or undefined. */
export function attachmentRefId(item: string): string | undefined {
  return OWN_ATTACHMENT.exec(item)?.[1];
}

/**
 * Why an attachment address is refused, or undefined. Clients render these as links, so only an absolute
 * http(s) URL (any host: intranet names have no TLD; no user:password part) or a stored attachment's
 * reference passes: `javascript:`, `data:`, scheme-relative and other forms never reach a page.
 */
export function attachmentRefProblem(item: unknown): string | undefined {
  if (typeof item !== 'string') return 'must be a string';
  if (item.length > ATTACHMENT_URL_MAX_LENGTH)
    return `must be at most ${ATTACHMENT_URL_MAX_LENGTH} characters`;
  if (OWN_ATTACHMENT.test(item)) return undefined;
  const url = {
    protocols: ['http', 'https'],
    require_protocol: true,
    require_tld: false,
    disallow_auth: true,
  };
  if (isURL(item, url)) return undefined;
  return 'must be an absolute http(s) URL or an attachment reference /api/v1/attachments/{id}/content';
}
