import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { hashPassword } from '@app/auth';
import { StaffEntity } from '@app/database';
import { GatewayEnv } from '../config/gateway.env';

/**
 * First start: create the super admin. The password comes from ADMIN_PASSWORD, or is generated and
 * printed once (the zero-setup start script passes the one it keeps under .data/).
 */
@Injectable()
export class AdminAccountSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminAccountSeeder.name);

  constructor(
    @InjectRepository(StaffEntity) private readonly staff: Repository<StaffEntity>,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const account = this.config.ADMIN_ACCOUNT;
    if (await this.staff.exists({ where: { account } })) return;
    const generated = this.config.ADMIN_PASSWORD === undefined;
    const password = this.config.ADMIN_PASSWORD ?? randomBytes(12).toString('base64url');
    const inserted = await this.staff
      .createQueryBuilder()
      .insert()
      .values({
        account,
        name: 'Administrator',
        passwordHash: await hashPassword(password),
        isSuperAdmin: true,
      })
      .orIgnore()
      .execute();
    if (inserted.identifiers.length === 0) return; // another replica seeded it first
    this.logger.log({ account }, 'seeded the admin account');
    if (generated) {
      process.stdout.write(
        `\n  Flowdesk admin account created: ${account} / ${password}\n  (shown once; set ADMIN_PASSWORD to choose it)\n\n`,
      );
    }
  }
}
