import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hashPassword } from '@app/auth';
import { RoleEntity, StaffEntity, StaffRoleEntity } from '@app/database';
import { GatewayEnv } from '../../config/gateway.env';

/**
 * First start: create the super admin (role `super_admin`: every permission, data scope `all`). On a
 * fresh database it is staff id "1", which the BPMN samples use as assignee. The password comes from
 * ADMIN_PASSWORD, or is generated and printed once (the zero-setup start script passes the one it
 * keeps under .data/). Replicas starting together seed it once.
 */
@Injectable()
export class AdminAccountSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminAccountSeeder.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const account = this.config.ADMIN_ACCOUNT;
    if (await this.dataSource.manager.exists(StaffEntity, { where: { account } })) return;
    const generated = this.config.ADMIN_PASSWORD === undefined;
    const password = this.config.ADMIN_PASSWORD ?? randomBytes(12).toString('base64url');
    const passwordHash = await hashPassword(password);
    const seeded = await this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(StaffEntity)
        .values({ account, realName: 'Administrator', passwordHash, passwordChangedAt: new Date() })
        .orIgnore()
        .execute();
      if (inserted.identifiers.length === 0 || !inserted.identifiers[0]) return false; // another replica won
      const role = await manager.findOneOrFail(RoleEntity, { where: { code: 'super_admin' } });
      await manager.insert(StaffRoleEntity, { staffId: String(inserted.identifiers[0].id), roleId: role.id });
      return true;
    });
    if (!seeded) return;
    this.logger.log({ account }, 'seeded the admin account');
    if (generated) {
      process.stdout.write(
        `\n  Flowdesk admin account created: ${account} / ${password}\n  (shown once; set ADMIN_PASSWORD to choose it)\n\n`,
      );
    }
  }
}
