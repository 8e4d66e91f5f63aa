import type { FastifyInstance } from 'fastify';

/**
 * Once the app is closing, every answer says `Connection: close`. Node's `server.close()` closes the
 * keep-alive connections idle at that moment, but one busy with a request becomes idle after it and was
 * then held open until its keep-alive timeout (72 s): a stop with a request in hand waited for the
 * orchestrator's kill. With the header the client's socket ends with the answer, so the app exits.
 */
export function closeConnectionsWhenClosing(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
}
