import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** How long a closing connection still reads (and drops) what the client sends before it is closed. */
const LINGER_MS = 2_000;

/**
 * The one rule for a body the answer leaves unread (a refused upload, a 401 before the upload was read,
 * multipart on a route that takes none, a body past BODY_LIMIT_BYTES): before the answer goes out, the
 * rest is read and dropped up to `budget` bytes more, so a client that finishes sending keeps its
 * connection; one that sends more gets the answer with `Connection: close`, and the connection is closed
 * after a linger. Without it Node read such a body to its end after the answer, so an endless one held
 * the connection until the request timeout.
 */
export function boundUnreadBodies(fastify: FastifyInstance, budget: number): void {
  fastify.addHook('onSend', async (request, reply) => {
    // `complete`: the parser has seen the body's end (what it holds unread is bounded by the socket's buffers)
    if (request.raw.complete || request.raw.destroyed) return;
    await drain(request, reply, budget);
  });
}

function drain(req: FastifyRequest, reply: FastifyReply, budget: number): Promise<void> {
  const raw = req.raw;
  // a parser still reading (busboy under an upload route) stops here; the bytes are counted below
  raw.unpipe();
  return new Promise((done) => {
    let left = budget;
    const count = (chunk: Buffer) => {
      left -= chunk.length;
      if (left >= 0) return;
      // still flowing with no listener: what comes next is dropped while the answer is written
      raw.off('data', count);
      closeAfterAnswer(reply);
      done();
    };
    raw.on('data', count);
    raw.once('end', () => done());
    raw.once('close', () => done());
    raw.once('error', () => done());
    raw.resume();
  });
}

/**
 * `Connection: close` on the answer. Node then closes the socket as soon as the answer is flushed; with
 * the client still sending, that close resets the connection, and a reset can discard the answer before
 * the client reads it. So the socket lingers as web servers do: half-closed after the answer, it drops
 * what still arrives for LINGER_MS (or until the client closes), then closes.
 */
function closeAfterAnswer(reply: FastifyReply): void {
  void reply.header('connection', 'close');
  const socket = reply.raw.socket as (Socket & { destroySoon?: () => void }) | null;
  if (!socket) return;
  socket.destroySoon = () => {
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
}
