import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '@app/contracts';
import { AppException, type Page, toPage } from '@app/common';
import type { ApplicationEntity } from '@app/database';
import { sha256Hex } from '../access/principal.loader';
import { AuditAction, AuditService } from '../audit/audit.service';
import { IdentityException, IdentityReason } from '../identity.exception';
import type { ClientContext } from '../shared/client-context';
import { uniqueViolation } from '../../shared/dto-helpers';
import { assertCanGrant } from '../shared/grant-policy';
import { IdentityChangeFeed } from '../shared/identity-change-feed';
import {
  type ApplicationDto,
  type ApplicationListQueryDto,
  type ApplicationWithSecretDto,
  type CreateApplicationDto,
  mapApplication,
  type UpdateApplicationDto,
} from './application.dto';
import { ApplicationsRepository } from './applications.repository';

function newSecret(): { secret: string; secretHash: string; secretHint: string } {
  const secret = randomBytes(32).toString('base64url');
  return { secret, secretHash: sha256Hex(secret), secretHint: secret.slice(-4) };
}

/**
 * Registered callers of the seed-004 headers (S004-28/29). The secret is 256 random bits, shown once
 * at registration or rotation and stored as SHA-256; revocation and rotation reach every replica at once.
 */
@Injectable()
export class ApplicationsService {
  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly feed: IdentityChangeFeed,
    private readonly audit: AuditService,
  ) {}

  async list(query: ApplicationListQueryDto): Promise<Page<ApplicationDto>> {
    const [apps, total] = await this.applications.findPage(query, query);
    return toPage(apps.map(mapApplication), total, query);
  }

  async get(id: string): Promise<ApplicationDto> {
    return mapApplication(await this.find(id));
  }

  async create(
    actor: Actor,
    dto: CreateApplicationDto,
    client: ClientContext,
  ): Promise<ApplicationWithSecretDto> {
    const permissions = [...new Set(dto.permissions)];
    const dataScope = dto.dataScope ?? 'all';
    assertCanGrant(actor, permissions, [dataScope]);
    const { secret, secretHash, secretHint } = newSecret();
    const clientId =
      dto.clientId ?? `${dto.type === 'app' ? 'app' : 'svc'}_${randomBytes(8).toString('hex')}`;
    const id = await this.feed
      .transaction(async (manager, changed) => {
        const appId = await this.applications.insert(manager, {
          type: dto.type,
          clientId,
          name: dto.name,
          note: dto.note ?? null,
          secretHash,
          secretHint,
          secretRotatedAt: new Date(),
          permissions,
          dataScope,
          createdBy: actor.id,
        });
        changed({ kind: 'application', clientId });
        await this.audit.record(
          {
            action: AuditAction.ApplicationCreated,
            actor,
            target: { type: 'application', id: appId },
            client,
            detail: { type: dto.type, clientId, permissions, dataScope },
          },
          manager,
        );
        return appId;
      })
      .catch((error: unknown) => {
        if (uniqueViolation(error)) {
          throw IdentityException.inConflict(IdentityReason.Duplicate, 'clientId is already used', [
            { field: 'clientId', reason: 'clientId is already used' },
          ]);
        }
        throw error;
      });
    return { ...(await this.get(id)), secret };
  }

  async update(
    actor: Actor,
    id: string,
    dto: UpdateApplicationDto,
    client: ClientContext,
  ): Promise<ApplicationDto> {
    await this.feed.transaction(async (manager, changed) => {
      const app = await this.find(id, manager, true);
      if (app.status === 'revoked')
        throw IdentityException.inConflict(IdentityReason.ApplicationRevoked, 'the application is revoked');
      const permissions = dto.permissions ? [...new Set(dto.permissions)] : app.permissions;
      const dataScope = dto.dataScope ?? app.dataScope;
      assertCanGrant(actor, [...permissions, ...app.permissions], [dataScope, app.dataScope]);
      const values: Partial<ApplicationEntity> = { permissions, dataScope };
      if (dto.name !== undefined) values.name = dto.name;
      if (dto.note !== undefined) values.note = dto.note;
      await this.applications.update(manager, id, values);
      changed({ kind: 'application', clientId: app.clientId });
      await this.audit.record(
        {
          action: AuditAction.ApplicationUpdated,
          actor,
          target: { type: 'application', id },
          client,
          detail: {
            permissions: { from: app.permissions, to: permissions },
            dataScope: { from: app.dataScope, to: dataScope },
          },
        },
        manager,
      );
    });
    return this.get(id);
  }

  /** A new secret, shown once; the old one stops working at once. */
  async rotateSecret(actor: Actor, id: string, client: ClientContext): Promise<ApplicationWithSecretDto> {
    const { secret, secretHash, secretHint } = newSecret();
    await this.feed.transaction(async (manager, changed) => {
      const app = await this.find(id, manager, true);
      if (app.status === 'revoked')
        throw IdentityException.inConflict(IdentityReason.ApplicationRevoked, 'the application is revoked');
      assertCanGrant(actor, app.permissions, [app.dataScope]);
      await this.applications.update(manager, id, { secretHash, secretHint, secretRotatedAt: new Date() });
      changed({ kind: 'application', clientId: app.clientId });
      await this.audit.record(
        { action: AuditAction.ApplicationSecretRotated, actor, target: { type: 'application', id }, client },
        manager,
      );
    });
    return { ...(await this.get(id)), secret };
  }

  /** Revoked for good (its id stays taken); register a new application to resume. */
  async revoke(actor: Actor, id: string, client: ClientContext): Promise<ApplicationDto> {
    await this.feed.transaction(async (manager, changed) => {
      const app = await this.find(id, manager, true);
      if (app.status === 'revoked') return;
      await this.applications.update(manager, id, { status: 'revoked' });
      changed({ kind: 'application', clientId: app.clientId });
      await this.audit.record(
        { action: AuditAction.ApplicationRevoked, actor, target: { type: 'application', id }, client },
        manager,
      );
    });
    return this.get(id);
  }

  private async find(id: string, manager?: EntityManager, lock = false): Promise<ApplicationEntity> {
    const app = await this.applications.findById(id, manager, lock);
    if (!app) throw AppException.notFound('application', id);
    return app;
  }
}
