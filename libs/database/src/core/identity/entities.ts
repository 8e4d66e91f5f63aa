import { ApplicationEntity } from './application.entity';
import { AuditLogEntity } from './audit-log.entity';
import { AuthSessionEntity } from './auth-session.entity';
import { DepartmentEntity } from './department.entity';
import {
  StaffGroupMemberEntity,
  StaffGroupMenuEntity,
  StaffMenuEntity,
  StaffRoleEntity,
} from './grants.entity';
import { MenuEntity } from './menu.entity';
import { RateLimitCounterEntity } from './rate-limit-counter.entity';
import { RoleEntity } from './role.entity';
import { StaffGroupEntity } from './staff-group.entity';
import { StaffEntity } from './staff.entity';

/** Every entity of the identity feature (schema core), for CORE_SCHEMA and TypeOrmModule.forFeature. */
export const IDENTITY_ENTITIES = [
  StaffEntity,
  DepartmentEntity,
  StaffGroupEntity,
  RoleEntity,
  MenuEntity,
  StaffGroupMemberEntity,
  StaffRoleEntity,
  StaffGroupMenuEntity,
  StaffMenuEntity,
  AuthSessionEntity,
  ApplicationEntity,
  AuditLogEntity,
  RateLimitCounterEntity,
];
