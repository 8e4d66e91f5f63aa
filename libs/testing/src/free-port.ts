import { createServer } from 'node:net';

// Ports for the apps a test boots. Asking the OS for one (listen on 0, close) and handing it to a child
// races when jest runs files in parallel: the OS may hand the same port to another worker, or to an
// outgoing connection, before the child binds it. So each jest worker takes ports from its own stripe of
// 10000–32767, which lies below Linux's ephemeral range (32768+) that the OS hands out, and checks each
// is free (another checkout's run may be using the stripe) before returning it.
const LOW = 10_000;
const HIGH = 32_767;
const STRIPES = 32;
const stripe = (Number(process.env.JEST_WORKER_ID ?? 1) - 1) % STRIPES;
const slots = Math.floor((HIGH - LOW - stripe) / STRIPES) + 1;
// A random start per process: two runs at once (two checkouts) seldom probe the same ports.
let next = Math.floor(Math.random() * slots);

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let tried = 0; tried < slots; tried += 1) {
    const port = LOW + stripe + STRIPES * (next % slots);
    next += 1;
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port in this worker's stripe of ${LOW}–${HIGH}`);
}
