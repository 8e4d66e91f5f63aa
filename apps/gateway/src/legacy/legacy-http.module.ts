import { Global, Module, type OnModuleInit } from '@nestjs/common';
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
    if (!fastify.hasContentTypeParser('application/x-www-form-urlencoded')) {
      fastify.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_request, body, done) => {
          done(null, Object.fromEntries(new URLSearchParams(body as string)));
        },
      );
    }
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
