import { JsonSocket } from '@nestjs/microservices';

/**
 * Nest's JSON framing over TCP (`<length>#<json>`, byte for byte the same), with the frames written in one turn
 * of the event loop sent together: the first frame corks the socket and a `setImmediate` uncorks it, so the
 * frames of the requests (gateway) or replies (workflow app) handled in the same turn leave in one `writev`
 * instead of one system call each. On the link's hot path each frame was a write of its own (the largest
 * single item in both apps' profiles under load). A frame waits at most until the end of the current turn;
 * order, backpressure (`write()` still answers whether the buffer is above its mark) and the send-buffer cap
 * are Nest's.
 */
export class CoalescingJsonSocket extends JsonSocket {
  private corked = false;

  private readonly uncork = (): void => {
    this.corked = false;
    this.netSocket.uncork();
  };

  protected override handleSend(message: unknown, callback?: (err?: unknown) => void): void {
    if (!this.corked) {
      this.corked = true;
      this.netSocket.cork();
      setImmediate(this.uncork);
    }
    super.handleSend(message, callback);
  }
}
