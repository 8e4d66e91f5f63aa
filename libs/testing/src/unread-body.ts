import { type Agent, request } from 'node:http';

const MiB = 1024 * 1024;

/** What the server answered to a body it left unread, and how much of the body went out. */
export interface UnreadBodyAnswer {
  status: number;
  code: number;
  connection?: string;
  /** Bytes of body written before the answer's head came (or the connection closed without one). */
  sent: number;
  closed: boolean;
  socket: unknown;
}

/**
 * POSTs `head`, then `total` bytes of body in 64 KiB chunks: endless while the server reads, if
 * Infinity (64 MiB at most, then the body ends, so a server that reads it all still answers). For the
 * gateway's rule on bodies an answer leaves unread (apps/gateway uploads/unread-body.ts).
 */
export function sendUnreadBody(
  url: URL,
  options: { agent: Agent; total: number; head: string; contentType: string; token?: string },
): Promise<UnreadBodyAnswer> {
  const { agent, total, head, contentType, token } = options;
  return new Promise((resolve, reject) => {
    let sent = 0;
    let sentAtAnswer: number | undefined;
    let answer: Omit<UnreadBodyAnswer, 'sent' | 'closed'> | undefined;
    let closed = false;
    const finish = () => answer && resolve({ ...answer, sent: sentAtAnswer ?? sent, closed });
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': contentType },
    });
    req.on('response', (res) => {
      sentAtAnswer = sent;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        answer = {
          status: res.statusCode!,
          code: (JSON.parse(text) as { code: number }).code,
          connection: res.headers.connection,
          socket: req.socket,
        };
        if (total !== Infinity || closed) finish();
      });
    });
    // the server closing while we still send: EPIPE / ECONNRESET after the answer
    req.on('error', (error) => (answer ? undefined : reject(error)));
    req.on('close', () => {
      closed = true;
      finish();
    });
    req.write(head);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    // One chunk per turn of the event loop: a socket that takes each write at once emits 'drain' on
    // process.nextTick, so a loop driven by it alone never polls, and the answer (and the server's
    // linger, which drops what comes after it) went unseen while tens of MiB more went out.
    const pump = () => {
      if (!closed && !answer && sent < Math.min(total, 64 * MiB)) {
        sent += chunk.length;
        if (req.write(chunk)) setImmediate(pump);
        else req.once('drain', () => setImmediate(pump));
        return;
      }
      if (!closed && !answer) req.end(contentType.startsWith('multipart') ? '\r\n--x--\r\n' : '"}');
    };
    pump();
  });
}
