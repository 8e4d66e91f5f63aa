import { ServerTCP, type TcpOptions } from '@nestjs/microservices';
import { LinkJsonSocket } from './json-text';

const PLAIN_PATTERN = /^[A-Za-z_][\w.:-]*$/;
const JSON_WORDS = new Set(['true', 'false', 'null']);

/**
 * Whether an incoming pattern is a plain name like `workflow.definition.list`, whose route is itself.
 * Nest's servers `JSON.parse` every pattern first (a pattern may be an object) and fall back to the string
 * when that throws: for a plain name that is a SyntaxError and its stack trace on every message (tens of
 * µs in the workflow app's profile). Anything else takes Nest's way.
 */
export function isPlainPattern(pattern: string): boolean {
  return PLAIN_PATTERN.test(pattern) && !JSON_WORDS.has(pattern);
}

/**
 * Nest's TCP server, routing plain pattern names without the failed JSON.parse, and framing replies with
 * `LinkJsonSocket` (a JSON-text reply is not serialized again) unless the options name another socket.
 */
export class LinkTcpServer extends ServerTCP {
  constructor(options: Required<TcpOptions>['options']) {
    super({ socketClass: LinkJsonSocket, ...options });
  }

  protected override getRouteFromPattern(pattern: string): string {
    return isPlainPattern(pattern) ? pattern : super.getRouteFromPattern(pattern);
  }
}
