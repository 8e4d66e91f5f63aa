import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager, IsNull } from 'typeorm';
import { AuthSessionEntity } from '@app/database';
import { sha256Hex } from '../access/principal.loader';

export type RevokeReason =
  'logout' | 'password_changed' | 'password_reset' | 'status_changed' | 'refresh_reuse';

export interface NewSession {
  sessionId: string;
  refreshToken: string;
  expiresAt: Date;
}

/** Refresh token = `<session id>.<256-bit secret>`; only the secret's SHA-256 is stored. */
export function splitRefreshToken(token: string): { sessionId: string; secret: string } | null {
  const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return match ? { sessionId: match[1], secret: match[2] } : null;
}

@Injectable()
export class SessionRepository {
  async open(
    manager: EntityManager,
    staffId: string,
    ttlSeconds: number,
    client: { ip: string; userAgent: string | null },
  ): Promise<NewSession> {
    const sessionId = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    await manager.insert(AuthSessionEntity, {
      id: sessionId,
      staffId,
      refreshHash: sha256Hex(secret),
      expiresAt,
      ip: client.ip,
      userAgent: client.userAgent,
    });
    return { sessionId, refreshToken: `${sessionId}.${secret}`, expiresAt };
  }

  /** Locks the session row, so two refreshes with one token cannot both rotate it. */
  async lockForRefresh(manager: EntityManager, sessionId: string): Promise<AuthSessionEntity | null> {
    return manager
      .getRepository(AuthSessionEntity)
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .where('s.id = :sessionId', { sessionId })
      .getOne();
  }

  async rotate(manager: EntityManager, sessionId: string): Promise<string> {
    const secret = randomBytes(32).toString('base64url');
    await manager.update(
      AuthSessionEntity,
      { id: sessionId },
      { refreshHash: sha256Hex(secret), refreshedAt: new Date() },
    );
    return `${sessionId}.${secret}`;
  }

  async revoke(manager: EntityManager, sessionId: string, reason: RevokeReason): Promise<void> {
    await manager.update(
      AuthSessionEntity,
      { id: sessionId, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedReason: reason },
    );
  }

  /** Ends every open session of a staff member; returns how many. */
  async revokeAllOf(manager: EntityManager, staffId: string, reason: RevokeReason): Promise<number> {
    const result = await manager.update(
      AuthSessionEntity,
      { staffId, revokedAt: IsNull() },
      { revokedAt: new Date(), revokedReason: reason },
    );
    return result.affected ?? 0;
  }
}
