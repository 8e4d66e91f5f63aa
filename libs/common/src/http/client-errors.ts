import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { ConnectionError, FastifyInstance } from 'fastify';
import { AppException } from '../exceptions/app.exception';
import { toErrorAnswer } from '../exceptions/error-envelope';

const REQUEST_LINE = /^[A-Z]+ \S+ HTTP\/1\.[01]$/;
const CRLF = Buffer.from('\r\n');

/**
 * The request line of `packet` with every byte over 0x7F percent-encoded, followed by the rest of the
 * packet unchanged; null unless the packet starts with a whole request line that holds such bytes (a
 * packet that starts inside a line, or a line cut off, is not replayed).
 */
export function percentEncodedRequestLine(packet: Buffer): Buffer | null {
  const end = packet.indexOf(CRLF);
  if (end < 0) return null;
  const line = packet.subarray(0, end);
  if (!line.some((byte) => byte > 0x7f)) return null;
  let encoded = '';
  for (const byte of line)
    encoded += byte > 0x7f ? `%${byte.toString(16).toUpperCase()}` : String.fromCharCode(byte);
  if (!REQUEST_LINE.test(encoded)) return null;
  return Buffer.concat([Buffer.from(encoded, 'latin1'), packet.subarray(end)]);
}

type Connection = Duplex & Partial<Pick<Socket, (typeof ADDRESSES)[number] | 'setTimeout'>>;
const ADDRESSES = ['remoteAddress', 'remotePort', 'remoteFamily', 'localAddress', 'localPort'] as const;

/**
 * The connection again, as a stream: `first` (the failed request, re-encoded), then whatever else the
 * client sends; answers go to the client's socket. The stream stands for the socket in the request
 * (`request.ip`, rate limits, logs read its addresses).
 */
function replayConnection(socket: Connection, first: Buffer): Duplex {
  const replay = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      socket.write(chunk, callback);
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(error, callback) {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  // the server's keep-alive and request timeouts run on the client's socket (whose timeout closes it)
  Object.assign(replay, { setTimeout: (ms: number) => (socket.setTimeout?.(ms), replay) });
  for (const name of ADDRESSES) Object.defineProperty(replay, name, { get: () => socket[name] });
  // the failed parser gets nothing more of this connection
  socket.removeAllListeners('data');
  socket.removeAllListeners('end');
  socket.on('data', (chunk: Buffer) => {
    if (!replay.push(chunk)) socket.pause();
  });
  socket.on('end', () => replay.push(null));
  socket.on('close', () => replay.destroy());
  replay.push(first);
  return replay;
}

/** 400 with 4101 naming the part (the status agrees with the envelope's code, DESIGN §2), then closes. */
function answer(socket: Duplex, field: string, reason: string): void {
  const { status, body: envelope } = toErrorAnswer(AppException.invalid([{ field, reason }]), 'zh');
  const body = JSON.stringify(envelope);
  // end, not destroy: an answer still being written before this one (a keep-alive connection) is not cut off
  if (socket.writable)
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  setTimeout(() => socket.destroy(), 5_000).unref();
}

/**
 * Fastify's `clientErrorHandler`: requests Node's HTTP parser refuses before Fastify sees them.
 *
 * Seed 002's clients send Chinese unencoded in the query, as the document writes its URLs
 * (`/flow/launch?…&deptName=人力中心`; curl does so), and the parser refuses any byte over 0x7F in a
 * request target. Such a request is served as if the client had percent-encoded those bytes, as browsers
 * and most HTTP libraries do: the connection is handed to the server again through a stream that replays
 * the request with its request line encoded. Anything else the parser refuses (an invalid request, headers
 * over 16 KiB, a request too slow to arrive) is answered in the error envelope, 4101 naming the part, not
 * with Fastify's own `{statusCode,error,message}`; then the connection is closed.
 */
export function answerClientError(this: FastifyInstance, error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // Node's parser attaches the packet it failed on (a Buffer; Fastify's type says otherwise). An encoded
  // line has no byte over 0x7F left, so a replay that fails again is answered below.
  const packet: unknown = error.rawPacket;
  const replayed =
    error.code === 'HPE_INVALID_URL' && Buffer.isBuffer(packet) && percentEncodedRequestLine(packet);
  if (replayed) {
    this.server.emit('connection', replayConnection(socket, replayed));
    return;
  }
  const [field, reason] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? ['headers', 'the request line and headers are larger than the server accepts (16 KiB)']
      : error.code === 'HPE_INVALID_URL'
        ? ['path', 'the request target holds characters that must be percent-encoded']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? ['request', 'the request did not arrive in time']
          : ['request', `not a valid HTTP/1.1 request (${error.code ?? error.message})`];
  answer(socket, field, reason);
}
