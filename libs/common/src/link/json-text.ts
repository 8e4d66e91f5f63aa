import { JsonSocket } from '@nestjs/microservices';

/**
 * A reply already serialized as JSON. The workflow app makes one when the gateway asks for the answer as
 * JSON text (`meta.reply = 'json'`, for a reply the gateway relays to HTTP as it is): the link frame and the
 * HTTP envelope splice `text` instead of parsing and serializing the value again (docs/performance.md).
 * Anything else that serializes it (NATS, Nest's own socket) gets the value through `toJSON`.
 */
export class JsonText {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/** The value of a reply that may have come as JSON text. */
export function parsedReply<T>(reply: T | JsonText): T {
  return reply instanceof JsonText ? (JSON.parse(reply.text) as T) : reply;
}

/** Link messages whose sender wants the reply as JSON text. */
export function wantsJsonText(message: unknown): boolean {
  return (message as { meta?: { reply?: unknown } } | null)?.meta?.reply === 'json';
}

/** Nest's packet ids (`randomStringGenerator`) and anything else that needs no JSON escaping. */
const PLAIN_ID = /^[\w-]{1,64}$/;
const DISPOSED = ',"isDisposed":true';
const RESPONSE = ',"response":';

/**
 * The JSON of a reply packet whose response is JSON text, with the id first so the reader finds the
 * response without parsing it: `{"id":"…"[,"isDisposed":true],"response":<text>}`. Any JSON reader gets the
 * same packet as from Nest's frame (`{"response":…,"isDisposed":true,"id":"…"}`). Undefined for other packets.
 */
export function jsonTextPacket(packet: unknown): string | undefined {
  if (typeof packet !== 'object' || packet === null) return undefined;
  const { response, id, isDisposed, ...rest } = packet as Record<string, unknown>;
  if (!(response instanceof JsonText) || typeof id !== 'string' || !PLAIN_ID.test(id)) return undefined;
  if (Object.keys(rest).length > 0 || (isDisposed !== undefined && isDisposed !== true)) return undefined;
  return `{"id":"${id}"${isDisposed ? DISPOSED : ''}${RESPONSE}${response.text}}`;
}

/** The packet of a frame `jsonTextPacket` wrote, its response as JSON text; undefined for any other frame. */
export function readJsonTextPacket(
  data: string,
): { id: string; isDisposed?: true; response: JsonText } | undefined {
  if (!data.startsWith('{"id":"')) return undefined;
  const idEnd = data.indexOf('"', 7);
  if (idEnd < 0) return undefined;
  const id = data.slice(7, idEnd);
  if (!PLAIN_ID.test(id)) return undefined;
  let at = idEnd + 1;
  const isDisposed = data.startsWith(DISPOSED, at);
  if (isDisposed) at += DISPOSED.length;
  if (!data.startsWith(RESPONSE, at) || !data.endsWith('}')) return undefined;
  const response = new JsonText(data.slice(at + RESPONSE.length, -1));
  return isDisposed ? { id, isDisposed: true, response } : { id, response };
}

type Framer = { formatMessageData(message: unknown): string };

/**
 * Nest's `JsonSocket` (same `<length>#<json>` frames, backpressure and limits) that writes a reply whose
 * response is `JsonText` without serializing it again and reads such a frame without parsing the response.
 * Both ends of the TCP link use it; every other frame is Nest's.
 */
export class LinkJsonSocket extends JsonSocket {
  protected override emitMessage(data: string): void {
    const packet = readJsonTextPacket(data);
    if (packet) this.socket.emit('message', packet);
    else super.emitMessage(data);
  }
}

// Nest declares the framing step private; it is the one place a frame's JSON is made.
const nestFrame = (JsonSocket.prototype as unknown as Framer).formatMessageData;
(LinkJsonSocket.prototype as unknown as Framer).formatMessageData = function (
  this: JsonSocket,
  message: unknown,
): string {
  const data = jsonTextPacket(message);
  return data === undefined ? nestFrame.call(this, message) : `${data.length}#${data}`;
};
