import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { GatewayEnv } from '../config/gateway.env';

export const LEGACY_SESSION_COOKIE = 'flowdesk_token';

/**
 * The session cookie of seeds 000 and 001. Their clients are plain-HTTP intranet pages: a
 * `Secure` cookie would never come back from them, so it is `Secure` only over HTTPS unless
 * LEGACY_COOKIE_SECURE says otherwise.
 */
@Injectable()
export class LegacySessionCookie {
  constructor(@Inject(GatewayEnv) private readonly config: GatewayEnv) {}

  set(reply: FastifyReply, token: string, maxAgeSeconds: number): void {
    void reply.header(
      'set-cookie',
      `${LEGACY_SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly${this.secure(reply) ? '; Secure' : ''}; SameSite=Strict`,
    );
  }

  clear(reply: FastifyReply): void {
    this.set(reply, '', 0);
  }

  private secure(reply: FastifyReply): boolean {
    switch (this.config.LEGACY_COOKIE_SECURE) {
      case 'always':
        return true;
      case 'never':
        return false;
      case 'auto':
        // Fastify reads X-Forwarded-Proto only when trustProxy (TRUST_PROXY) is on.
        return reply.request.protocol === 'https';
    }
  }
}
