import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessTokenService, AuthGuard, PrincipalResolver } from '@app/auth';
import { IDENTITY_ENTITIES } from '@app/database';
import { GatewayEnv } from '../config/gateway.env';
import { AccessRepository } from './access/access.repository';
import { ActForUsers } from './access/act-for-users';
import { PrincipalLoader } from './access/principal.loader';
import { ApplicationsController } from './applications/applications.controller';
import { ApplicationsRepository } from './applications/applications.repository';
import { ApplicationsService } from './applications/applications.service';
import { AuditController } from './audit/audit.controller';
import { AuditQueryService } from './audit/audit-query.service';
import { AuditService } from './audit/audit.service';
import { AuthController } from './auth/auth.controller';
import { AuthRepository } from './auth/auth.repository';
import { AuthService } from './auth/auth.service';
import { LoginRateLimiter } from './auth/login-rate-limiter';
import { SessionRepository } from './auth/session.repository';
import { AdminAccountSeeder } from './bootstrap/admin-account.seeder';
import { DepartmentsController } from './departments/departments.controller';
import { DepartmentsRepository } from './departments/departments.repository';
import { DepartmentsService } from './departments/departments.service';
import { GroupsController } from './groups/groups.controller';
import { GroupsRepository } from './groups/groups.repository';
import { GroupsService } from './groups/groups.service';
import { MeController } from './me/me.controller';
import { MeRepository } from './me/me.repository';
import { MeService } from './me/me.service';
import { MenusController } from './menus/menus.controller';
import { MenusRepository } from './menus/menus.repository';
import { MenusService } from './menus/menus.service';
import { RolesController } from './roles/roles.controller';
import { RolesRepository } from './roles/roles.repository';
import { RolesService } from './roles/roles.service';
import { DirectoryRepository } from './directory/directory.repository';
import { IdentityChangeFeed } from './shared/identity-change-feed';
import { StaffController } from './staff/staff.controller';
import { StaffRepository } from './staff/staff.repository';
import { StaffService } from './staff/staff.service';
import { PeopleController } from './people/people.controller';
import { PeopleRepository } from './people/people.repository';

/**
 * Identity and access (DESIGN §3): staff directory, departments, groups, roles, menus, sign-in,
 * registered applications, audit — and the global AuthGuard that protects every other route.
 * Exports AuthService (for the legacy seed-003 md5 login) and the PrincipalResolver.
 */
@Module({
  imports: [TypeOrmModule.forFeature(IDENTITY_ENTITIES)],
  controllers: [
    AuthController,
    MeController,
    PeopleController,
    StaffController,
    DepartmentsController,
    GroupsController,
    RolesController,
    MenusController,
    ApplicationsController,
    AuditController,
  ],
  providers: [
    PeopleRepository,
    {
      provide: AccessTokenService,
      inject: [GatewayEnv],
      useFactory: (config: GatewayEnv) =>
        new AccessTokenService({ secret: config.JWT_SECRET, ttlSeconds: config.JWT_ACCESS_TTL_SECONDS }),
    },
    { provide: PrincipalResolver, useExisting: PrincipalLoader },
    { provide: APP_GUARD, useClass: AuthGuard },
    PrincipalLoader,
    AccessRepository,
    ActForUsers,
    IdentityChangeFeed,
    DirectoryRepository,
    AuditService,
    AuditQueryService,
    AuthRepository,
    AuthService,
    LoginRateLimiter,
    SessionRepository,
    StaffRepository,
    StaffService,
    MeRepository,
    MeService,
    DepartmentsRepository,
    DepartmentsService,
    GroupsRepository,
    GroupsService,
    RolesRepository,
    RolesService,
    MenusRepository,
    MenusService,
    ApplicationsRepository,
    ApplicationsService,
    AdminAccountSeeder,
  ],
  exports: [
    IdentityChangeFeed,
    DirectoryRepository,
    AuthService,
    AccessTokenService,
    PrincipalResolver,
    ActForUsers,
    StaffService,
    GroupsService,
    MenusService,
  ],
})
export class IdentityModule {}
