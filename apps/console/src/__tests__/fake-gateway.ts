import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Handler = (req: IncomingMessage, body: unknown, res: ServerResponse) => void | Promise<void>;

/** A real HTTP server answering like the gateway (envelopes, status codes) for the routes a test defines. */
export class FakeGateway {
  readonly calls: { method: string; path: string; authorization?: string; body: unknown }[] = [];
  private readonly routes = new Map<string, Handler>();
  private server: Server | null = null;

  on(method: string, path: string, handler: Handler): this {
    this.routes.set(`${method} ${path}`, handler);
    return this;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const body: unknown = text ? JSON.parse(text) : undefined;
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        this.calls.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body });
        const handler = this.routes.get(`${req.method} ${path}`);
        if (!handler) return send(res, 404, { code: 404, msg: 'not found', data: null });
        void handler(req, body, res);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export const ok = (res: ServerResponse, data: unknown) => send(res, 200, { code: 200, msg: 'ok', data });

/** The console finds the API beside its own URL; in node that URL is `location`. */
export function pointConsoleAt(origin: string): void {
  (globalThis as { location?: unknown }).location = { href: `${origin}/console/` };
}

export class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}
