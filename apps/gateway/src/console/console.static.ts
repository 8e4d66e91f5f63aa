import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';

/** Where the gateway mounts the console; a reverse proxy may expose it elsewhere (CONSOLE_BASE_PATH). */
export const CONSOLE_MOUNT = '/console/';

export interface ConsoleOptions {
  /** Built console (vite output, `dist/console`). */
  dir: string;
  /** Path browsers reach the console under, written into `<base href>`. */
  basePath: string;
  /** TZ_BUSINESS, for dates shown and entered in the console. */
  timeZone: string;
}

const TEXT_TYPES: Record<string, string> = {
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** index.html with this deployment's base path and business time zone. */
export function renderConsoleIndex(
  html: string,
  options: Pick<ConsoleOptions, 'basePath' | 'timeZone'>,
): string {
  return html
    .replace(/<base href="[^"]*"\s*\/?>/, `<base href="${escapeAttribute(options.basePath)}" />`)
    .replace(
      /<meta name="flowdesk-time-zone" content="[^"]*"\s*\/?>/,
      `<meta name="flowdesk-time-zone" content="${escapeAttribute(options.timeZone)}" />`,
    );
}

/**
 * Serves the built console at /console/: hashed assets cached for a year, index.html never cached
 * (so a deploy is picked up at once), and every other path under /console/ answered with index.html
 * for the client-side router. Returns false when the console was not built.
 */
export async function setupConsole(app: NestFastifyApplication, options: ConsoleOptions): Promise<boolean> {
  const indexFile = join(options.dir, 'index.html');
  if (!existsSync(indexFile)) return false;
  const html = renderConsoleIndex(readFileSync(indexFile, 'utf8'), options);
  // Files vite copies from public/ (favicon, ...): few and small, kept in memory.
  const publicFiles = new Map<string, { body: Buffer; type: string }>();
  for (const name of readdirSync(options.dir)) {
    const type = TEXT_TYPES[extname(name)];
    if (type && statSync(join(options.dir, name)).isFile())
      publicFiles.set(name, { body: readFileSync(join(options.dir, name)), type });
  }

  await app.register(fastifyStatic, {
    root: join(options.dir, 'assets'),
    prefix: `${CONSOLE_MOUNT}assets/`,
    decorateReply: false,
    index: false,
    // File names carry a content hash: a changed file is a new URL.
    maxAge: 365 * 24 * 3600 * 1000,
    immutable: true,
  });

  const fastify = app.getHttpAdapter().getInstance();
  const sendIndex = (reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
  fastify.get(CONSOLE_MOUNT, (_request, reply) => sendIndex(reply));
  fastify.get(`${CONSOLE_MOUNT}*`, (request, reply) => {
    const rest = (request.params as { '*': string })['*'];
    const file = publicFiles.get(rest);
    if (file) return reply.header('cache-control', 'no-cache').type(file.type).send(file.body);
    return sendIndex(reply);
  });
  return true;
}
