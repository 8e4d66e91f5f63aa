import { BadRequestException, Global, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '@app/contracts';
import { AppException, languageOf, toErrorAnswer } from '@app/common';

import { LEGACY_SESSION_COOKIE, LegacySessionCookie } from './legacy-session-cookie';

/** Paths of the seed systems whose clients sign in once and then rely on a cookie. */
const COOKIE_SURFACES = [
  /^\/(doLogin|staff\/password|process|currentProcessInstances|histProcessInstances|needAcceptTasks|acceptedTasks|processDiagram|task)(\/|$|\?)/,
  /^\/api\/(user|customers|record|feedback|contract|stats)\//,
];

/**
 * Seed 004's surface: "所有的接口请求必须带上请求头参数 … requestType" (4000 without it). The two type lists
 * are left out: their own sections document only the `accessToken` query parameter (A-17, A-80).
 */
const SEED_004_SURFACE = /^\/(workflow\/(process|task)\/|-?userdefine\/workorder\/workorder)/;

/** Seed-004 type lists document `accessToken` as a query parameter; it is read like the header. */
const QUERY_TOKEN_SURFACES = /^\/(WorkOrder\/app\/list|synthesis\/list)\?/;

/** Seed 003's JSON routes: its editComment example ends its object with a comma (A-62). */
const SEED_003_SURFACE = /^\/api\/(account|customer|sms|call|wechat)\//;

/** The JSON text without commas that close an object or array (`{"a":1,}`); strings are left alone. */
export function withoutTrailingCommas(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (c === ',') {
      let j = i + 1;
      while (/\s/.test(text[j] ?? '')) j++;
      if (text[j] === '}' || text[j] === ']') continue;
    }
    out += c;
  }
  return out;
}

/**
 * A form body as legacy clients encode arrays: a repeated key (`a=1&a=2`, HTML forms, Java
 * clients) and jQuery's `a[]=1&a[]=2` become one array; a single key stays a string.
 */
export function formFields(body: string): Record<string, unknown> {
  const fields = new Map<string, string | string[]>();
  for (const [name, value] of new URLSearchParams(body)) {
    const list = name.endsWith('[]');
    const key = list ? name.slice(0, -2) : name;
    const before = fields.get(key);
    if (before === undefined) fields.set(key, list ? [value] : value);
    else fields.set(key, Array.isArray(before) ? [...before, value] : [before, value]);
  }
  return Object.fromEntries(fields);
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/**
 * HTTP habits of the legacy clients, kept out of the platform API: form-urlencoded bodies
 * (`/doLogin` is a Spring-Security-style form) and the session cookie standing in for a Bearer token
 * on the seed-000/001 paths only (`/api/v1` accepts Bearer alone).
 */
@Global()
@Module({ providers: [LegacySessionCookie], exports: [LegacySessionCookie] })
export class LegacyHttpModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // replaces Nest's form parser, which keeps jQuery's `a[]` as a key of its own
    if (fastify.hasContentTypeParser('application/x-www-form-urlencoded'))
      fastify.removeContentTypeParser('application/x-www-form-urlencoded');
    fastify.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => {
        const fields = formFields(body as string);
        // as Nest's parser and a JSON body: a `__proto__` field is refused, never copied onto an object
        if (Object.hasOwn(fields, '__proto__'))
          return done(new BadRequestException('Object contains forbidden prototype property'), undefined);
        done(null, fields);
      },
    );
    // Fastify's own JSON parser (limits, prototype-poisoning checks); on seed 003 a body that fails only for
    // trailing commas, as the document's editComment example does, is read without them.
    const json = fastify.getDefaultJsonParser('error', 'error');
    fastify.removeContentTypeParser('application/json');
    fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, raw, done) => {
      const body = raw.toString(); // parseAs: 'string' hands a string
      void json(request, body, (error, value) => {
        if (!error || !SEED_003_SURFACE.test(request.url)) return done(error, value);
        const relaxed = withoutTrailingCommas(body);
        if (relaxed === body) return done(error, value);
        void json(request, relaxed, done);
      });
    });
    fastify.addHook('onRequest', async (request, reply) => {
      if (SEED_004_SURFACE.test(request.url) && !request.headers.requesttype) {
        const answer = toErrorAnswer(
          new AppException(
            ErrorCode.WrongCall,
            'REQUEST_TYPE_MISSING',
            'the requestType header is required (app or service)',
          ),
          languageOf(request.headers['accept-language']),
        );
        return reply.status(answer.status).send(answer.body);
      }
      if (
        QUERY_TOKEN_SURFACES.test(request.url) &&
        !request.headers.accesstoken &&
        !request.headers.authorization
      ) {
        const token = new URLSearchParams(request.url.split('?')[1] ?? '').get('accessToken');
        if (token) request.headers.accesstoken = token;
      }
      if (request.headers.authorization || request.headers.requesttype) return;
      if (!COOKIE_SURFACES.some((surface) => surface.test(request.url))) return;
      const token = cookieValue(request.headers.cookie, LEGACY_SESSION_COOKIE);
      if (token) request.headers.authorization = `Bearer ${token}`;
    });
  }
}
